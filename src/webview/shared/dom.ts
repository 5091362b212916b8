// Building DOM from data without ever parsing markup: text goes in with textContent, attributes only from a short
// list of inert names. Log content is data; nothing in a webview built with these helpers can become an element,
// a handler or a URL.

type Attribute = 'role' | 'type' | 'placeholder' | 'tabindex' | 'title' | 'for' | 'id' | 'spellcheck' | 'value' | `aria-${string}` | `data-${string}`;

export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Partial<Record<Attribute, string>>;
}

const INERT = /^(role|type|placeholder|tabindex|title|for|id|spellcheck|value|aria-[a-z-]+|data-[a-z-]+)$/;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: readonly Node[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.attrs) {
    for (const [name, value] of Object.entries(props.attrs)) {
      // The type already limits names; this holds if a caller casts around it.
      if (!INERT.test(name)) throw new Error(`el(): attribute ${name} is not on the inert list`);
      if (value !== undefined) node.setAttribute(name, value);
    }
  }
  for (const child of children) node.append(child);
  return node;
}

/** Sets text only when it changed: the table's cells are rewritten every frame while scrolling. */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function button(label: string, title: string, onClick: () => void, className = 'btn'): HTMLButtonElement {
  const node = el('button', { className, text: label, attrs: { type: 'button', title } });
  node.addEventListener('click', onClick);
  return node;
}

/** A toggle button whose state is aria-pressed (read by screen readers and styled by CSS). */
export function toggle(label: string, title: string, onChange: (pressed: boolean) => void): HTMLButtonElement {
  const node = button(label, title, () => {
    const pressed = node.getAttribute('aria-pressed') !== 'true';
    node.setAttribute('aria-pressed', String(pressed));
    onChange(pressed);
  }, 'btn toggle');
  node.setAttribute('aria-pressed', 'false');
  return node;
}

export function setPressed(node: HTMLElement, pressed: boolean): void {
  node.setAttribute('aria-pressed', String(pressed));
}
