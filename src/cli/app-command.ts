import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { appsFolder } from './app-run';
import { UsageError } from './errors';

// Apart from app-run.ts, which main loads for every command: only the commands that run the app load the YAML parser.
/** The synth command of the fleet repository: `app` of its cdk8s.yaml; `otherwise` ends the message when there is none. */
export function appFromCdk8sYaml(otherwise = ''): string {
  const file = path.resolve(appsFolder() ?? '.', 'cdk8s.yaml');
  if (!fs.existsSync(file)) {
    throw new UsageError(`there is no cdk8s.yaml in ${path.dirname(file)} to name the app; pass the synth command with --app${otherwise}`);
  }
  const app = (YAML.parse(fs.readFileSync(file, 'utf8')) as { app?: string } | null)?.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new UsageError(`${file} has no \`app\`; pass the synth command with --app${otherwise}`);
  }
  return app;
}
