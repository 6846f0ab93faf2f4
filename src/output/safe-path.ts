/**
 * Why `file` (a path inside `dist/`, '/' separated) could write outside its folder or clash with the layout (a phrase
 * such as `has an empty, "." or ".." segment`), or undefined when it is safe: relative, no empty, `.` or `..` segment, no backslash or control character. Every file
 * is checked before anything is written, whatever produced its name.
 */
export function unsafeDistPathProblem(file: string): string | undefined {
  if (file.startsWith('/')) {
    return 'is an absolute path';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(file)) {
    return 'holds a backslash or a control character';
  }
  const segments = file.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return 'has an empty, "." or ".." segment';
  }
  return undefined;
}
