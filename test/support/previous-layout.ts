import * as YAML from 'yaml';
import { GENERATED_HEADER } from '../../src/output/render';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form YAML edited in place
type Json = Record<string, any>;

const parse = (text: string) => YAML.parse(text) as Json;
const write = (obj: Json) => `${GENERATED_HEADER}\n${YAML.stringify(obj, { lineWidth: 0 })}`;
/** An ApplicationSet of a shard's folder: its clusters' or a bundle's. */
const isShardApplicationSet = (file: string) => /^argocd\/shards\/[^/]+\/ApplicationSet\..+\.yaml$/.test(file);

/**
 * `dist/` as the release before the transition model (git 19b6704) wrote the same fleet, made from today's files: an
 * extra ApplicationSet per shard for the retired clusters (`<fleet>-retiring-<nn>`, whose template alone had the
 * resources finalizer), bundle Applications that name a cluster's own values file by `{{.cluster}}` with
 * `ignoreMissingValueFiles` when some clusters have none, every bundle ApplicationSet's clusters in a matrix with
 * the cluster generator (issue 26 lists fleet clusters alone), and node pools without `IgnoreExtraneous`. The transition
 * tests use it as the base of a library upgrade. Names stay as today's files have them (fleet-scoped, unless the fleet
 * is built unscoped as that release named every cluster): the layout, not the names, is what changed.
 */
export function previousLayout(files: ReadonlyMap<string, string>): Map<string, string> {
  // Retired clusters by their name in the fleet (their folder, and the `cluster` of the list elements): the Cluster
  // object itself is named `<fleet>--<cluster>` unless the cluster is unscoped.
  const retired = new Set([...files].filter(([file]) => /^clusters\/[^/]+\/Cluster\.[^/]+\.yaml$/.test(file))
    .filter(([, text]) => parse(text).metadata.annotations?.['arlon.io/retired'] === 'true').map(([file]) => file.split('/')[1]));
  const out = new Map<string, string>();
  for (const [file, text] of files) {
    const clusters = /^argocd\/shards\/([^/]+)\/ApplicationSet\.(.+)-clusters-\1\.yaml$/.exec(file);
    if (clusters !== null) {
      const [, shard, fleet] = clusters;
      const appSet = parse(text);
      const elements = appSet.spec.generators[0].list.elements as Array<{ cluster: string }>;
      delete appSet.spec.template.metadata.finalizers;
      appSet.spec.generators[0].list.elements = elements.filter((e) => !retired.has(e.cluster));
      out.set(file, write(appSet));
      const gone = elements.filter((e) => retired.has(e.cluster));
      if (gone.length > 0) {
        const retiring = parse(text);
        retiring.metadata.name = `${fleet}-retiring-${shard}`;
        retiring.spec.generators[0].list.elements = gone;
        retiring.spec.template.metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
        retiring.spec.template.metadata.annotations['arlon.io/retired'] = 'true';
        out.set(`argocd/shards/${shard}/ApplicationSet.${fleet}-retiring-${shard}.yaml`, write(retiring));
      }
    } else if (isShardApplicationSet(file)) {
      const appSet = previousBundleGenerators(parse(text));
      out.set(file, write(text.includes('valueFiles') ? previousBundleValues(appSet) : appSet));
    } else if (/^clusters\/[^/]+\/(MachinePool|AWSManagedMachinePool)\./.test(file)) {
      const pool = parse(text);
      delete pool.metadata.annotations['argocd.argoproj.io/compare-options'];
      out.set(file, write(pool));
    } else {
      out.set(file, text);
    }
  }
  return out;
}

/** `dist/` with every bundle ApplicationSet's generators as releases before issue 26 wrote them, and nothing else changed. */
export function matrixBundleLayout(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].map(([file, text]) => {
    const bundleAppSet = isShardApplicationSet(file) && !/-clusters-[^/]+\.yaml$/.test(file);
    return [file, bundleAppSet ? write(previousBundleGenerators(parse(text))) : text];
  }));
}

/**
 * A bundle ApplicationSet's generators as releases before issue 26 wrote them: every listed cluster, fleet or external,
 * in one list matrixed with the cluster generator selecting the Secret `arlonctl register` labels.
 */
function previousBundleGenerators(appSet: Json): Json {
  const elements = (appSet.spec.generators as Json[]).flatMap((g) => (g.list ?? g.matrix.generators[0].list).elements as Json[])
    .sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  const selector = { matchLabels: { 'arlon.io/cluster': '{{.cluster}}', 'arlon.io/fleet': appSet.metadata.labels['arlon.io/fleet'] } };
  appSet.spec.generators = [{ matrix: { generators: [{ list: { elements } }, { clusters: { selector } }] } }];
  return appSet;
}

/**
 * A bundle ApplicationSet's value files as the previous release wrote them: a cluster's own file by `{{.cluster}}`, and
 * `ignoreMissingValueFiles` whenever some cluster of the ApplicationSet had no values of its own.
 */
function previousBundleValues(appSet: Json): Json {
  const list = appSet.spec.generators[0].matrix.generators[0].list;
  const elements = list.elements as Json[];
  const source = (appSet.spec.template.spec.sources as Json[]).find((s) => s.ref === undefined)!;
  const files = source.helm.valueFiles as string[];
  const byParameter = files.some((f) => f.includes('{{.clusterValues}}'));
  const own = byParameter ? elements.filter((e) => String(e.clusterValues).endsWith(`/values/${e.cluster}.yaml`)).length
    : files.some((f) => f.endsWith('/{{.cluster}}.yaml')) ? elements.length : 0;
  if (byParameter) {
    const anyOwn = String(elements.find((e) => String(e.clusterValues).endsWith(`/values/${e.cluster}.yaml`))!.clusterValues);
    const ownDir = anyOwn.slice(0, anyOwn.lastIndexOf('/'));
    list.elements = elements.map(({ clusterValues: _own, ...rest }) => rest);
    source.helm.valueFiles = files.map((f) => f.replace('{{.clusterValues}}', `${ownDir}/{{.cluster}}.yaml`));
    const annotations = appSet.spec.template.metadata.annotations;
    const paths = 'argocd.argoproj.io/manifest-generate-paths';
    annotations[paths] = String(annotations[paths]).replace('/{{.clusterValues}}', `/${ownDir}/{{.cluster}}.yaml`);
  }
  if (own < elements.length) {
    source.helm.ignoreMissingValueFiles = true;
  }
  return appSet;
}
