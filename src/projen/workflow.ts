/**
 * The fleet repository's GitHub workflow: on a pull request, the tests, the plan published as a comment, and
 * `arlonctl check` against the branch the change merges into; on a push to the deploy branch, the tests and check.
 * `fetch-depth: 0` because plan and check compare with the target branch's commit.
 */
export function fleetWorkflow(deployBranch: string, nodeVersion: string): Record<string, unknown> {
  const pullRequest = "github.event_name == 'pull_request'";
  return {
    name: 'fleet',
    on: { pull_request: { branches: [deployBranch] }, push: { branches: [deployBranch] } },
    permissions: { 'contents': 'read', 'pull-requests': 'write' },
    jobs: {
      check: {
        'runs-on': 'ubuntu-latest',
        'steps': [
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': nodeVersion.split('.')[0] } },
          // the committed lockfile, exactly: a dependency is changed in a pull request, never by CI
          { run: 'npm ci' },
          { run: 'npx projen test' },
          { name: 'plan', if: pullRequest, run: 'npx arlonctl plan --base origin/${{ github.base_ref }} -o markdown > plan.md || true' },
          {
            name: 'publish the plan',
            if: pullRequest,
            env: { GH_TOKEN: '${{ github.token }}' },
            run: 'gh pr comment ${{ github.event.pull_request.number }} --body-file plan.md --edit-last '
              + '|| gh pr comment ${{ github.event.pull_request.number }} --body-file plan.md',
          },
          { name: 'check', run: `npx arlonctl check --base origin/\${{ github.base_ref || '${deployBranch}' }}` },
        ],
      },
    },
  };
}
