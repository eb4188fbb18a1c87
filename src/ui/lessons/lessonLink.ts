// Workshop links: `#lesson=<id>` opens a lesson or a challenge with its
// starting board. The visitor's own board is kept (restorable from the lesson
// panel), and the link is consumed once so a reload does not reopen it.
import { findLesson } from '../../lessons/index.ts';
import { runAction } from '../actions/registry.ts';
import { notify } from '../store/noticeStore.ts';

export const LESSON_PARAM = 'lesson';

export function lessonLink(id: string, base = `${location.origin}${location.pathname}${location.search}`): string {
  return `${base}#${LESSON_PARAM}=${encodeURIComponent(id)}`;
}

/** The lesson id a URL fragment names, or null. */
export function lessonIdFromHash(hash: string): string | null {
  const m = new RegExp(`^#${LESSON_PARAM}=([^&]*)$`).exec(hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

function openFromLocation(): void {
  const id = lessonIdFromHash(location.hash);
  if (id === null) return;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  if (!findLesson(id)) {
    notify('error', `This link names a lesson “\u2068${id}\u2069” that this Isolation Lab does not have. Press Lessons to see the ones there are; your board is unchanged.`);
    return;
  }
  void runAction('openLesson', id);
}

let started = false;

export function startLessonLinks(): void {
  if (started) return;
  started = true;
  openFromLocation();
  window.addEventListener('hashchange', openFromLocation);
}

export async function copyLessonLink(id: string): Promise<void> {
  const url = lessonLink(id);
  try {
    await navigator.clipboard.writeText(url);
    notify('info', `Lesson link copied: ${url}. Whoever opens it starts this lesson; their own board is kept.`);
  } catch {
    notify('info', `Copy this lesson link: ${url}`);
  }
}
