const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Whether `file` is a plain repository-relative path that may be passed to git after `--`: relative, no
 * "." or ".." segments, no empty segments, nothing that reads as an option or pathspec magic.
 */
export function isSafeRepositoryPath(file: string): boolean {
  if (file === '' || file.length > 4096 || CONTROL_CHARACTERS.test(file)) return false;
  if (file.startsWith('-') || file.startsWith(':') || file.startsWith('/') || file.includes('\\')) return false;
  return file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
