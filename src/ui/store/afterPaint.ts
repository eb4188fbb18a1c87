// Work that the next frame does not need (autosave, panels beside the diagram) runs just after that
// frame is painted, so an edit on a large board shows as soon as the diagram has it.

/** Longest wait, should the page get no frame (a tab the browser stopped drawing). */
const AT_MOST_MS = 100;

/** One channel for the page: a message posted during a frame is handled as a task after its paint. */
let channel: MessageChannel | undefined;
const queued: (() => void)[] = [];

function postTask(run: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queued.shift()?.();
  }
  queued.push(run);
  channel.port2.postMessage(null);
}

/**
 * Runs `work` once, right after the next frame is painted (a task posted from that frame's animation
 * callback). A hidden tab draws no frames: there it runs as soon as the calling code returns (a
 * microtask; nothing to show first); and it never waits longer than AT_MOST_MS.
 */
export function afterNextPaint(work: () => void): void {
  if (document.visibilityState === 'hidden') return void queueMicrotask(work);
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    work();
  };
  const timer = setTimeout(run, AT_MOST_MS);
  requestAnimationFrame(() => postTask(run));
}
