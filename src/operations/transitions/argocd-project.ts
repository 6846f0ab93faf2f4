/**
 * What an AppProject permits: ports of argoproj/argo-cd v3.5.1 `pkg/apis/application/v1alpha1/app_project_types.go`
 * (`IsSourcePermitted`, `isDestinationMatched`, `globMatch` with `!` deny patterns, and the resource white/black
 * lists of `IsGroupKindNamePermitted`, with `types.go` `isResourceInList`) and `util/git/git.go` `NormalizeGitURL`. Globs follow `util/glob` (gobwas/glob):
 * `*` matches within a separator-delimited segment when separators are given, `**` across them.
 */

/** The parts of an AppProject spec the checks read. */
export interface AppProjectSpec {
  readonly sourceRepos?: readonly string[];
  readonly destinations?: ReadonlyArray<{ name?: string; server?: string; namespace?: string }>;
  readonly clusterResourceWhitelist?: ReadonlyArray<{ group: string; kind: string }>;
  readonly clusterResourceBlacklist?: ReadonlyArray<{ group: string; kind: string }>;
  readonly namespaceResourceWhitelist?: ReadonlyArray<{ group: string; kind: string }>;
  readonly namespaceResourceBlacklist?: ReadonlyArray<{ group: string; kind: string }>;
}

/**
 * gobwas/glob matching as `util/glob.Match` uses it: `*` (no separator), `**` (anything), `?` (one character but a
 * separator), `[abc]` / `[!abc]` / `[a-z]` / `[!a-z]` (one character), `{a,b}` (alternatives, nested) and `\` escapes. A
 * pattern that does not compile (`e[[a*`: an unclosed range) matches nothing, as `Match` logs and returns false.
 */
export function globMatch(pattern: string, value: string, separators: readonly string[] = []): boolean {
  const key = `${separators.join('')}\u0000${pattern}`;
  let compiled = COMPILED.get(key);
  if (compiled === undefined) {
    compiled = compileGlob(pattern, separators) ?? null;
    COMPILED.set(key, compiled);
  }
  return compiled !== null && compiled.test(value);
}

/** Compiled patterns: a project's few patterns are matched against every Application the transition model checks. */
const COMPILED = new Map<string, RegExp | null>();

/** The pattern as a regular expression, or undefined when it does not compile. */
function compileGlob(pattern: string, separators: readonly string[]): RegExp | undefined {
  const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const sep = separators.map((c) => escape(c)).join('');
  const notSeparator = sep === '' ? '[\\s\\S]' : `[^${sep}]`;
  let re = '';
  let depth = 0;
  let i = 0;
  /** `fetchText` of the lexer: text up to a breaker, with `\` escaping the next character. */
  const text = (breakers: string): string => {
    let out = '';
    while (i < pattern.length && !breakers.includes(pattern[i])) {
      if (pattern[i] === '\\') {
        i++;
        if (i >= pattern.length) {
          break;
        }
      }
      out += pattern[i++];
    }
    return out;
  };
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '{') {
      depth++;
      re += '(?:';
      i++;
    } else if (c === ',' && depth > 0) {
      re += '|';
      i++;
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
      i++;
    } else if (c === '*') {
      const isSuper = pattern[i + 1] === '*';
      re += isSuper ? '[\\s\\S]*' : `${notSeparator}*`;
      i += isSuper ? 2 : 1;
    } else if (c === '?') {
      re += notSeparator;
      i++;
    } else if (c === '[') {
      // `fetchRange`: `[` [`!`] (lo `-` hi | text) `]`; anything else is an error.
      i++;
      const not = pattern[i] === '!' ? (i++, '^') : '';
      if (i >= pattern.length) {
        return undefined;
      }
      let klass: string;
      if (pattern[i + 1] === '-' && i + 2 < pattern.length) {
        klass = `${escape(pattern[i])}-${escape(pattern[i + 2])}`;
        i += 3;
      } else {
        klass = [...text(']')].map(escape).join('');
      }
      if (pattern[i] !== ']') {
        return undefined;
      }
      i++;
      re += `[${not}${klass}]`;
    } else {
      re += escape(text(depth > 0 ? '?*[{},' : '?*[{'));
    }
  }
  // An unclosed `{` is closed at the end, as gobwas' parser ends a pattern at EOF without complaint.
  re += ')'.repeat(depth);
  return new RegExp(`^${re}$`);
}

const isDenyPattern = (pattern: string | undefined): boolean => (pattern ?? '').startsWith('!');

/** `globMatch` of app_project_types.go: with `allowNegation`, `!pattern` matches what the pattern does not; `*` matches anything. */
export function projectGlob(pattern: string | undefined, value: string, allowNegation = true, separators: readonly string[] = []): boolean {
  const p = pattern ?? '';
  if (allowNegation && isDenyPattern(p)) {
    return !globMatch(p.slice(1), value, separators);
  }
  return p === '*' || globMatch(p, value, separators);
}

/** `NormalizeGitURL`: lower case, no `.git`, scp-like SSH URLs as `host/path`. */
export function normalizeGitUrl(repo: string): string {
  let url = repo.trim().toLowerCase();
  const scpLike = /^[a-z0-9._-]+@[a-z0-9.-]+:/.test(url) && !url.startsWith('ssh://');
  if (scpLike) {
    url = `ssh://${url.replace(':', '/')}`;
  }
  url = url.replace(/\.git$/, '');
  return url.replace(/^ssh:\/\//, '');
}

/** `IsSourcePermitted` for one source's repository URL. */
export function isSourcePermitted(project: AppProjectSpec, repoUrl: string): boolean {
  const source = normalizeGitUrl(repoUrl);
  let anyMatched = false;
  for (const repo of project.sourceRepos ?? []) {
    const normalized = isDenyPattern(repo) ? `!${normalizeGitUrl(repo.slice(1))}` : normalizeGitUrl(repo);
    const matched = projectGlob(normalized, source, true, ['/']);
    if (matched) {
      anyMatched = true;
    } else if (isDenyPattern(normalized)) {
      return false;
    }
  }
  return anyMatched;
}

/** `isDestinationMatched` for a destination cluster (name and server known) and namespace. */
export function isDestinationPermitted(project: AppProjectSpec, cluster: { name: string; server: string }, namespace: string): boolean {
  let anyMatched = false;
  for (const item of project.destinations ?? []) {
    const nameMatched = cluster.name !== '' && projectGlob(item.name, cluster.name);
    const serverMatched = cluster.server !== '' && projectGlob(item.server, cluster.server);
    const namespaceMatched = projectGlob(item.namespace, namespace);
    const matched = (serverMatched || nameMatched) && namespaceMatched;
    if (matched) {
      anyMatched = true;
    } else if ((!nameMatched && isDenyPattern(item.name)) || (!serverMatched && isDenyPattern(item.server) && namespaceMatched)) {
      // Go's `&&` binds tighter than `||`: upstream writes `a || b && namespaceMatched`, so a negated name that does not
      // match denies whatever the namespace.
      return false;
    } else if (!namespaceMatched && isDenyPattern(item.namespace) && serverMatched) {
      return false;
    }
  }
  return anyMatched;
}

/** `IsGroupKindNamePermitted`: namespaced kinds pass unless a whitelist leaves them out; cluster-scoped ones need the cluster whitelist. */
export function isGroupKindPermitted(project: AppProjectSpec, group: string, kind: string, namespaced: boolean): boolean {
  // `isResourceInList` matches with Go's filepath.Match, where `*` never crosses a '/'.
  const listed = (list: ReadonlyArray<{ group: string; kind: string }> | undefined) =>
    (list ?? []).some((e) => globMatch(e.kind, kind, ['/']) && globMatch(e.group, group, ['/']));
  if (namespaced) {
    const whitelist = project.namespaceResourceWhitelist;
    const whitelisted = whitelist === undefined || (whitelist.length !== 0 && listed(whitelist));
    return whitelisted && !listed(project.namespaceResourceBlacklist);
  }
  return listed(project.clusterResourceWhitelist) && !listed(project.clusterResourceBlacklist);
}
