import type { Plan } from '../src/operations/plan';
import { formatPlanMarkdown } from '../src/operations/plan-markdown';

const block = { rule: 'immutable-field' as const, why: 'EKS cannot change it', fix: 'create a new cluster', escape: 'arlonctl plan --allow immutable-field=b' };

describe('formatPlanMarkdown', () => {
  const plan: Plan = {
    clusters: [
      { cluster: 'a', change: 'changed', items: [{ message: 'workers: maxSize 10 -> 12' }] },
      { cluster: 'b', change: 'changed', items: [{ message: 'region us-east-1 -> eu-west-1', blocked: block }, { message: 'nodes replaced', warning: true }] },
      { cluster: 'c', change: 'created', items: [{ message: 'created from profile dev', blocked: block, allowedBy: '--allow immutable-field' }] },
    ],
    fleet: [],
    blocked: true,
  };
  const out = formatPlanMarkdown(plan, 'Plan for fleet "acme"');

  test('puts clusters with blocked changes first, and lists each blocked change with why, fix and escape', () => {
    const summaries = out.split('\n').filter((l) => l.startsWith('<summary>'));
    expect(summaries).toEqual([
      '<summary>❌ cluster <code>b</code> changed (2 change(s), 1 blocked)</summary>',
      '<summary>✅ cluster <code>a</code> changed (1 change(s))</summary>',
      '<summary>✅ cluster <code>c</code> created (1 change(s))</summary>',
    ]);
    expect(out).toContain('#### Blocked\n\n- ❌ cluster `b`: **region us-east-1 -&gt; eu-west-1** (rule `immutable-field`)\n  - why: EKS cannot change it\n'
      + '  - fix: create a new cluster\n  - escape: `arlonctl plan --allow immutable-field=b`\n');
    expect(out).toContain('- ⚠️ ALLOWED (`immutable-field`, by `--allow immutable-field`) created from profile dev');
    expect(out).toContain('- ⚠️ nodes replaced');
    expect(out).toContain('**3 cluster(s) changed** (1 created, 0 removed); **1 change(s) blocked**');
  });

  test('escapes what comes from the fleet: no value turns into HTML, a link or formatting', () => {
    const hostile: Plan = {
      clusters: [{ cluster: 'x', change: 'changed', items: [{ message: 'value <script>alert(1)</script> [link](http://evil) *bold* `code`\nsecond line' }] }],
      fleet: [],
      blocked: false,
    };
    const md = formatPlanMarkdown(hostile, 'Plan');
    expect(md).toContain('- value &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[link\\]\\(http://evil\\) \\*bold\\* \\`code\\` second line\n');
    expect(md).not.toContain('<script>');
  });

  test('says so when nothing changed', () => {
    expect(formatPlanMarkdown({ clusters: [], fleet: [], blocked: false }, 'Plan')).toBe('### Plan\n\n**0 cluster(s) changed** (0 created, 0 removed); nothing blocked\n\nNo changes.\n');
  });
});
