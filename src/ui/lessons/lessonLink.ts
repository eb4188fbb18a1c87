// Workshop links: `#lesson=<id>` opens a lesson or a challenge with its
// starting board. The visitor's own board is kept (restorable from the lesson
// panel), and the link is consumed once so a reload does not reopen it.
import LZString from 'lz-string';
import { findLesson } from '../../lessons/builtin.ts';
import type { LessonParse } from '../../lessons/lessonFile.ts';
import { lessonToJson, MAX_LESSON_FILE_CHARS } from '../../lessons/lessonJson.ts';
import { decompressBounded, TOO_LONG } from '../../model/lzBounded.ts';
import { quote } from '../../model/safeText.ts';
import { lessonParser } from '../parsers.ts';
import type { Lesson } from '../../lessons/types.ts';
import { runAction } from '../actions/registry.ts';
import { notify } from '../store/noticeStore.ts';

export const LESSON_PARAM = 'lesson';
/** A whole lesson file in the link, compressed like a board share link (a lesson from the builder). */
export const LESSON_FILE_PARAM = 'lesson-file';
const MAX_LESSON_FRAGMENT_CHARS = 200_000;

/**
 * The page's address for a link to hand on: without `embed`, which only the iframe of a course asked
 * for (whoever opens the link gets the whole page, not the course's trimmed frame).
 */
function pageAddress(): string {
  const params = new URLSearchParams(location.search);
  params.delete('embed');
  const search = params.toString();
  return `${location.origin}${location.pathname}${search ? `?${search}` : ''}`;
}

export function lessonFileLink(lesson: Lesson, base = pageAddress()): string {
  return `${base}#${LESSON_FILE_PARAM}=${LZString.compressToEncodedURIComponent(JSON.stringify(lessonToJson(lesson)))}`;
}

/** The lesson a `#lesson-file=` fragment carries, refused whole when damaged; null for other fragments. */
export async function lessonFromHash(hash: string): Promise<LessonParse | null> {
  const prefix = `#${LESSON_FILE_PARAM}=`;
  if (!hash.startsWith(prefix)) return null;
  if (hash.length > MAX_LESSON_FRAGMENT_CHARS) return { ok: false, error: '$: the link is far too long to hold a lesson.' };
  // Bounded as it expands: a link of a few thousand characters can decompress to hundreds of millions.
  const text = decompressBounded(hash.slice(prefix.length), MAX_LESSON_FILE_CHARS);
  if (text === TOO_LONG) {
    return { ok: false, error: `$: the link expands to more than ${MAX_LESSON_FILE_CHARS.toLocaleString('en')} characters, the most a lesson file holds; it is not a lesson link.` };
  }
  if (!text) return { ok: false, error: '$: the link is damaged or cut short; copy the whole link again.' };
  // A link changed on its way can still expand, to text that is no JSON: damaged too, whatever the JSON parser saw.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: '$: the link is damaged (it does not hold a whole lesson file); copy the whole link again.' };
  }
  return (await lessonParser()).parseLesson(value);
}

export function lessonLink(id: string, base = pageAddress()): string {
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

async function openFromLocation(): Promise<void> {
  const file = await lessonFromHash(location.hash);
  if (file) {
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    if (!file.ok) notify('error', `The lesson in this link was refused — ${file.error} Your board is unchanged.`);
    else void runAction('openCustomLesson', file.lesson);
    return;
  }
  const id = lessonIdFromHash(location.hash);
  if (id === null) return;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  if (!findLesson(id)) {
    notify('error', `This link names a lesson ${quote(id)} that this Isolation Lab does not have. Press Lessons to see the ones there are; your board is unchanged.`);
    return;
  }
  void runAction('openLesson', id);
}

let started = false;

export function startLessonLinks(): void {
  if (started) return;
  started = true;
  void openFromLocation();
  window.addEventListener('hashchange', () => void openFromLocation());
}

/**
 * Copies a link that opens `lesson`: a built-in one by its id, a lesson of the visitor's own (from a
 * lesson file or the builder) whole, since no other page knows it by its id.
 */
export async function copyLessonLink(lesson: Lesson): Promise<void> {
  const url = findLesson(lesson.id) ? lessonLink(lesson.id) : lessonFileLink(lesson);
  try {
    await navigator.clipboard.writeText(url);
    notify('info', `Lesson link copied${url.length > 200 ? '' : `: ${url}`}. Whoever opens it starts this lesson; their own board is kept.`);
  } catch {
    notify('info', `Copy this lesson link: ${url}`);
  }
}
