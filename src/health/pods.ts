// Pods: are the gateway's pods Running and Ready, and if not, why (the container's waiting reason, the last
// termination, the scheduler's message, the events); and did any container restart in the last hour.
import { listText } from '../diagnosis/text.ts';
import { dateText, ev, excerpt, HOUR_MS, lineEvidence, openLogsFix, outcome, plural } from './common.ts';
import type { ContainerModel, EventModel, HealthModel, LineModel, PodModel } from './input.ts';
import type { Evidence, HealthCheck, HealthFinding, HealthFindingCode } from './types.ts';

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const CONFIG_ERROR = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

interface Problem {
  code: HealthFindingCode;
  pod: PodModel;
  container?: ContainerModel;
  evidence: Evidence[];
}

function eventsFor(model: HealthModel, podName: string, reasons: readonly string[]): EventModel[] {
  return (model.events ?? []).filter((e) => e.objectName === podName && e.reason !== undefined && reasons.includes(e.reason));
}

function eventEvidence(events: readonly EventModel[]): Evidence[] {
  const newest = [...events].sort((a, b) => (b.last ?? 0) - (a.last ?? 0)).slice(0, 2);
  return newest.map((e) => ev(`Event ${e.reason ?? ''}${e.count > 1 ? ` (×${e.count})` : ''}`, excerpt(e.message ?? '')));
}

/** The last error the crashed container wrote, when its log was read. */
function lastError(model: HealthModel): LineModel | undefined {
  const previous = model.log?.previous ?? [];
  const errors = previous.filter((l) => /^(error|fatal)$/i.test(l.level ?? '') || /^Unhandled exception/i.test(l.text));
  return errors.at(-1);
}

function podProblem(model: HealthModel, pod: PodModel): Problem | undefined {
  for (const c of pod.containers) {
    const waiting = c.waiting?.reason;
    const base = [ev('Pod', `${pod.name} (${pod.phase ?? 'phase not known'})`), ev('Container', `${c.name}${c.image !== undefined ? `, image ${c.image}` : ''}`)];
    if (waiting !== undefined && IMAGE_PULL.has(waiting)) {
      return { code: 'pod-image-pull', pod, container: c, evidence: [...base, ev('Waiting', `${waiting}${c.waiting?.message !== undefined ? `: ${excerpt(c.waiting.message)}` : ''}`), ...eventEvidence(eventsFor(model, pod.name, ['Failed', 'BackOff']))] };
    }
    if (waiting !== undefined && CONFIG_ERROR.has(waiting)) {
      return { code: 'pod-config-error', pod, container: c, evidence: [...base, ev('Waiting', `${waiting}${c.waiting?.message !== undefined ? `: ${excerpt(c.waiting.message)}` : ''}`)] };
    }
    if (waiting === 'CrashLoopBackOff' || (c.terminated && c.restartCount > 0 && !c.running)) {
      const last = c.lastTerminated ?? c.terminated;
      const evidence = [...base, ev('Restarts', String(c.restartCount))];
      if (last) {
        const parts = [last.reason, last.exitCode !== undefined ? `exit code ${last.exitCode}` : undefined, last.finishedAt !== undefined ? `at ${dateText(last.finishedAt)}` : undefined].filter((p) => p !== undefined);
        evidence.push(ev('Last termination', parts.join(', ') || 'no details'));
        if (last.message !== undefined) evidence.push(ev('Termination message', excerpt(last.message)));
      }
      const err = lastError(model);
      if (err && (model.log?.pod === undefined || model.log.pod === pod.name)) evidence.push(lineEvidence(model, err));
      return { code: 'pod-crash-loop', pod, container: c, evidence };
    }
  }
  if (pod.phase === 'Pending') {
    const scheduled = pod.conditions.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False') {
      const events = eventsFor(model, pod.name, ['FailedScheduling']);
      const evidence = [ev('Pod', `${pod.name} (Pending, not scheduled)`)];
      if (scheduled.message !== undefined) evidence.push(ev('Scheduler', excerpt(scheduled.message)));
      evidence.push(...eventEvidence(events));
      return { code: 'pod-pending', pod, evidence };
    }
    // Pulling or creating: a pod on its way is not a problem yet.
    return undefined;
  }
  if (pod.phase === 'Failed' || pod.phase === 'Unknown') {
    return { code: 'pod-not-ready', pod, evidence: [ev('Pod', `${pod.name} (${pod.phase}${pod.reason !== undefined ? `: ${pod.reason}` : ''})`), ...(pod.message !== undefined ? [ev('Message', excerpt(pod.message))] : [])] };
  }
  const ready = pod.conditions.find((c) => c.type === 'Ready');
  if (pod.phase === 'Running' && ready?.status === 'False') {
    const starting = pod.containers.some((c) => c.waiting?.reason !== undefined && STARTING.has(c.waiting.reason));
    if (starting) return undefined;
    const evidence = [ev('Pod', `${pod.name} (Running, not Ready)`)];
    if (ready.message !== undefined) evidence.push(ev('Ready condition', excerpt(`${ready.reason ?? ''} ${ready.message}`)));
    evidence.push(...eventEvidence(eventsFor(model, pod.name, ['Unhealthy'])));
    return { code: 'pod-not-ready', pod, evidence };
  }
  return undefined;
}

const TITLES: Partial<Record<HealthFindingCode, (n: number) => string>> = {
  'pod-image-pull': (n) => `Image cannot be pulled (${plural(n, 'pod')})`,
  'pod-config-error': (n) => `Container cannot be created (${plural(n, 'pod')})`,
  'pod-crash-loop': (n) => `Gateway container keeps crashing (${plural(n, 'pod')})`,
  'pod-pending': (n) => `Pod cannot be scheduled (${plural(n, 'pod')})`,
  'pod-not-ready': (n) => `Pod not ready (${plural(n, 'pod')})`,
};

function explain(code: HealthFindingCode, problems: readonly Problem[], total: number): string {
  const first = problems[0];
  const names = listText(problems.map((p) => p.pod.name));
  const of = `${problems.length} of ${total} pod${total === 1 ? '' : 's'} (${names})`;
  switch (code) {
    case 'pod-image-pull':
      return `${of} cannot start because the node cannot pull the image ${first?.container?.image ?? ''}: check the image name and tag, and that the node can reach the registry.`.replace(' :', ':');
    case 'pod-config-error':
      return `${of} cannot start their container because of its configuration, usually a missing ConfigMap or Secret: ${first?.container?.waiting?.message ?? 'see the evidence'}.`;
    case 'pod-crash-loop': {
      const msg = first?.container?.lastTerminated?.message;
      return `The gateway container of ${of} exits soon after starting and Kubernetes keeps restarting it${msg !== undefined ? `; it last said: ${excerpt(msg)}` : '; its previous log says why'}.`;
    }
    case 'pod-pending':
      return `${of} are Pending because no node can take them${first?.pod.conditions.find((c) => c.type === 'PodScheduled')?.message !== undefined ? ' (see the scheduler\'s message)' : ''}.`;
    default:
      return `${of} are not ready, so the Service sends them no traffic.`;
  }
}

export function checkPods(model: HealthModel): HealthCheck {
  const title = 'Pods running and ready';
  const pods = model.pods?.filter((p) => !p.deleting);
  if (!pods) return outcome('pods', title, [], { unknown: 'the pods were not read' });
  if (pods.length === 0) {
    const desired = model.deployment?.replicas;
    if (desired === undefined && !model.deployment) return outcome('pods', title, [], { unknown: 'no pods were found and the Deployment was not read' });
    const failures = (model.events ?? []).filter((e) => e.reason === 'FailedCreate');
    const finding: HealthFinding = {
      code: 'no-pods',
      severity: 'error',
      title: 'No gateway pods',
      explanation: desired === 0 ? 'The Deployment is scaled to 0 replicas, so no gateway runs.' : `The Deployment wants ${desired ?? 'some'} replica${desired === 1 ? '' : 's'} but no pod exists${failures.length > 0 ? '; creating them failed' : ''}.`,
      evidence: [ev('Deployment replicas', `${desired ?? 'not known'} desired, ${model.deployment?.readyReplicas ?? 0} ready`), ...eventEvidence(failures)],
      fixes: [],
    };
    return outcome('pods', title, [finding], { unknown: '' });
  }
  const problems = pods.flatMap((p) => podProblem(model, p) ?? []);
  const byCode = new Map<HealthFindingCode, Problem[]>();
  for (const p of problems) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p]);
  const findings: HealthFinding[] = [...byCode].map(([code, list]) => {
    const first = list[0];
    const crash = code === 'pod-crash-loop';
    const errorLine = crash ? lastError(model) : undefined;
    return {
      code,
      severity: code === 'pod-not-ready' && list.every((p) => p.pod.phase === 'Running') && list.length < pods.length ? 'warning' : 'error',
      title: (TITLES[code] ?? ((n: number) => `${plural(n, 'pod')} failing`))(list.length),
      explanation: explain(code, list, pods.length),
      evidence: list.slice(0, 3).flatMap((p) => p.evidence),
      fixes: crash && first ? openLogsFix(model, errorLine ?? { part: 'previous', index: 0, text: '', hasApiId: false }, first.pod.name) : [],
    };
  });
  const running = pods.filter((p) => p.phase === 'Running' && p.conditions.find((c) => c.type === 'Ready')?.status === 'True').length;
  return outcome('pods', title, findings, { summary: `${running} of ${plural(pods.length, 'pod')} Running and Ready`, evidence: [ev('Pods', pods.map((p) => `${p.name} ${p.phase ?? '?'}`).join(', '))] });
}

export function checkRestarts(model: HealthModel): HealthCheck {
  const title = 'No restarts in the last hour';
  const pods = model.pods?.filter((p) => !p.deleting);
  if (!pods) return outcome('restarts', title, [], { unknown: 'the pods were not read' });
  const crashLooping = new Set(pods.filter((p) => podProblem(model, p)?.code === 'pod-crash-loop').map((p) => p.name));
  const recent: Evidence[] = [];
  let undated = 0;
  let count = 0;
  for (const pod of pods) {
    if (crashLooping.has(pod.name)) continue;
    for (const c of pod.containers) {
      if (c.restartCount === 0) continue;
      const at = c.lastTerminated?.finishedAt;
      if (at === undefined) {
        undated++;
        continue;
      }
      if (model.now - at > HOUR_MS || at > model.now + HOUR_MS) continue;
      count++;
      const last = c.lastTerminated;
      const why = [last?.reason, last?.exitCode !== undefined ? `exit code ${last.exitCode}` : undefined].filter((p) => p !== undefined).join(', ');
      recent.push(ev(`Pod ${pod.name}`, `${plural(c.restartCount, 'restart')}, the last at ${dateText(at)}${why !== '' ? ` (${why})` : ''}${last?.message !== undefined ? `: ${excerpt(last.message)}` : ''}`));
    }
  }
  if (count > 0) {
    const finding: HealthFinding = {
      code: 'pod-restarts',
      severity: 'warning',
      title: `Gateway restarted in the last hour (${plural(count, 'container')})`,
      explanation: 'A gateway container stopped and was restarted within the last hour; a restart drops its connections and, with an expired token, leaves it without configuration.',
      evidence: recent.slice(0, 6),
      fixes: [],
    };
    return outcome('restarts', title, [finding], { unknown: '' });
  }
  const crashNote = crashLooping.size > 0 ? ' (crash-looping pods are reported under Pods)' : '';
  if (undated > 0) return outcome('restarts', title, [], { unknown: `${plural(undated, 'container')} restarted at a time not reported${crashNote}` });
  return outcome('restarts', title, [], { summary: `no container restarted in the last hour${crashNote}` });
}
