/** A value in the Test Request form breaks a rule: shown next to that field, nothing was sent. */
export class InvalidFormError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
