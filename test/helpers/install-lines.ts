/**
 * What a page tells a user to install, and what code imports: package names, for the tests that
 * check the one covers the other.
 */

/** The packages of the `npm install` line in the ```sh block after `<!-- marker -->`. */
export function installedPackages(markdown: string, marker: string): string[] {
  const line = new RegExp(`<!-- ${marker} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(
    markdown,
  )?.[1];
  return (line ?? '')
    .replace(/\\\n/g, ' ')
    .trim()
    .split(/\s+/)
    .slice(2)
    .map((spec) => spec.replace(/(.)@.*$/, '$1'));
}

/** The packages `code` imports (`from '…'`), without Node's own modules and relative paths. */
export function importedPackages(code: string): string[] {
  return [...code.matchAll(/from '([^'.][^']*)'/g)]
    .map(([, spec = '']) => spec)
    .filter((spec) => !spec.startsWith('node:'))
    .map((spec) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}
