// The file parsers (zod and the schemas) load when a file, a link or a saved board or lesson is
// first read, not with the page's first script: a first visit that reads nothing never loads them.
export const boardParser = () => import('../model/boardFile.ts');
export const lessonParser = () => import('../lessons/lessonFile.ts');
export const shareLinks = () => import('../model/shareLink.ts');
