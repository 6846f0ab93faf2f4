/**
 * Credentials recognized by their value, wherever they appear: everything in dist/ is committed to git. Each pattern
 * is a published, fixed format, so a match is a credential and not a coincidence; messages say which kind and where,
 * never the value.
 */
const PATTERNS: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: 'a private key', pattern: /-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { what: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { what: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'a Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{16,}\b/ },
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: 'a URL with a password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:[^/\s@"']+@/i },
  {
    what: 'a URL with a credential in its query',
    pattern: /[?&](access_token|token|api[-_]?key|apikey|password|passwd|secret|client_secret|sig|signature|x-amz-signature|x-amz-credential)=[^&\s"']{6,}/i,
  },
];

/** All patterns at once, for the common case of finding nothing in one pass. */
const ANY = new RegExp(PATTERNS.map((p) => `(?:${p.pattern.source})`).join('|'), 'i');

/** The first credential in `text`, as its kind and 1-based line, or undefined. */
export function findCredential(text: string): { readonly what: string; readonly line: number } | undefined {
  if (!ANY.test(text)) {
    return undefined;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const found = PATTERNS.find((p) => p.pattern.test(lines[i]));
    if (found !== undefined) {
      return { what: found.what, line: i + 1 };
    }
  }
  // A match across lines (a private key's header is one line, so this is a JSON Web Token or URL split by YAML).
  return { what: PATTERNS.find((p) => p.pattern.test(text))?.what ?? 'a credential', line: 1 };
}

/** Why a repository URL must not be written to dist/ (a password or token in it), or undefined. */
export function credentialInUrlProblem(what: string, url: string | undefined): string | undefined {
  const found = url === undefined ? undefined : findCredential(url);
  return found === undefined && !/^(https?|oci):\/\/[^/\s]*@/.test(url ?? '') ? undefined
    : `${what} carries credentials (${found?.what ?? 'a user name and secret'}); dist/ is committed, so give the bare URL and register credentials in `
      + 'Argo CD (`arlonctl deploy --repo-username ...`)';
}
