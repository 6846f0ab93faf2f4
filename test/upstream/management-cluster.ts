/**
 * A management cluster as far as the library's output is concerned: what the API server and the admission webhooks
 * of Cluster API v1.14.0 and CAPA v2.11.1 do to each applied object (structural CRD defaulting, then the mutating
 * webhook, then CRD schema and object metadata validation, then the validating webhook, as the kube-apiserver orders
 * admission), and
 * what CAPA's controllers then ask of EKS. Each step is a port cited in its own module; this module only wires them.
 *
 * Updates follow server-side apply as Argo CD performs it: the new object is the applied manifest plus the fields
 * other managers own (e.g. MachinePool replicas that CAPA copies from an autoscaled node group), recorded with
 * `setByController`.
 */
import { defaultControlPlane, validateControlPlaneCreate, validateControlPlaneUpdate, type ManagedControlPlane } from './capa-controlplane-webhook';
import {
  CAPA_CLUSTERCTL_DEFAULT_GATES, controlPlaneReconcileErrors, createClusterRequest, createNodegroupRequest, eksVersion, type CapaFeatureGates,
} from './capa-eks-controller';
import { defaultManagedMachinePool, validateManagedMachinePoolCreate, validateManagedMachinePoolUpdate, type ManagedMachinePool } from './capa-machinepool-webhook';
import { validateCluster, type CapiClusterObject } from './capi-cluster-webhook';
import { CAPI_DEFAULT_GATES, defaultMachinePool, validateMachinePool, type CapiFeatureGates, type MachinePool } from './capi-machinepool-webhook';
import { applyDefaults, type StructuralSchema } from './crd-defaulting';
import { addonProblems, createClusterProblems, createNodegroupProblems, type CreateClusterRequest, type CreateNodegroupRequest } from './eks-api';
import { describeErrors, type FieldError } from './field-errors';
import { validateAnnotations, validateLabels } from './k8s-validation';
import type { KubeObject } from '../../src/kube/types';
import { CrdSchemas } from '../support/crd-schemas';

/** The outcome of one apply. */
export interface AdmissionResult {
  /** The object as stored, when admitted. */
  readonly stored?: KubeObject;
  /** Why it was refused: `<stage>: <message>` lines. */
  readonly errors: readonly string[];
}

/** What CAPA would ask of EKS for one cluster, and what EKS (or CAPA itself) would refuse. */
export interface EksOutcome {
  readonly cluster: string;
  readonly createCluster: CreateClusterRequest;
  readonly nodegroups: ReadonlyArray<{
    readonly machinePool: string; readonly request: CreateNodegroupRequest; readonly problems: readonly string[];
  }>;
  /** Every problem: EKS refusals, CAPA reconcile errors and node pools CAPA never reconciles. */
  readonly problems: readonly string[];
}

const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
const clone = <T>(x: T): T => structuredClone(x);

export interface ManagementClusterOptions {
  readonly capiGates?: CapiFeatureGates;
  readonly capaGates?: CapaFeatureGates;
  readonly schemas?: CrdSchemas;
}

/** The CRDs of ../shared/crds, read once per test file: they are only read (defaults are cloned into objects). */
let sharedSchemas: CrdSchemas | undefined;

export class ManagementCluster {
  public readonly capiGates: CapiFeatureGates;
  public readonly capaGates: CapaFeatureGates;
  private readonly schemas: CrdSchemas;
  private readonly store = new Map<string, KubeObject>();
  /** Fields other managers own, per object: JSON paths to their values. */
  private readonly foreign = new Map<string, Map<string, unknown>>();

  constructor(options: ManagementClusterOptions = {}) {
    this.capiGates = options.capiGates ?? CAPI_DEFAULT_GATES;
    this.capaGates = options.capaGates ?? CAPA_CLUSTERCTL_DEFAULT_GATES;
    this.schemas = options.schemas ?? (sharedSchemas ??= new CrdSchemas());
  }

  /** Applies a manifest (create or update) through the admission chain; stores it when admitted. */
  public apply(manifest: KubeObject): AdmissionResult {
    const id = key(manifest.kind, manifest.metadata.namespace, manifest.metadata.name);
    const old = this.store.get(id);
    const obj = clone(manifest);
    for (const [path, value] of this.foreign.get(id) ?? []) {
      setPath(obj, path, clone(value));
    }
    const result = this.admit(obj, old);
    if (result.stored !== undefined) {
      this.store.set(id, result.stored);
    }
    return result;
  }

  /** Runs the admission chain without storing (a server-side dry run). */
  public admit(obj: KubeObject, old: KubeObject | undefined): AdmissionResult {
    const schema = this.schemas.schemaOf(obj.apiVersion, obj.kind) as StructuralSchema | undefined;
    if (schema !== undefined) {
      applyDefaults(obj, schema);
    }
    try {
      this.mutate(obj, old);
    } catch (e) {
      return { errors: [`mutating webhook: ${(e as Error).message}`] };
    }
    // The API server defaults again after a mutating webhook changed the object, so what a webhook adds (an empty
    // `network.vpc` on a control plane) gets its schema defaults too.
    if (schema !== undefined) {
      applyDefaults(obj, schema);
    }
    const schemaErrors = this.schemas.validate(obj);
    if (schemaErrors.length > 0) {
      return { errors: schemaErrors.map((e) => `schema: ${e}`) };
    }
    // The API server's own checks of every object's metadata, custom resources included: kubernetes/apiextensions-apiserver
    // v0.36.3 pkg/registry/customresource/validator.go (`customResourceValidator.Validate` calls
    // `ValidateObjectMetaAccessor`), which checks labels and annotations as ported in k8s-validation.ts.
    const metadataErrors = [
      ...validateLabels(obj.metadata.labels, 'metadata.labels'),
      ...validateAnnotations(obj.metadata.annotations, 'metadata.annotations'),
    ];
    if (metadataErrors.length > 0) {
      return { errors: [`object metadata: ${describeErrors(metadataErrors)}`] };
    }
    const refused = this.validate(obj, old);
    return refused.length > 0 ? { errors: [`validating webhook: ${describeErrors(refused)}`] } : { stored: obj, errors: [] };
  }

  /**
   * What the validating webhook refuses about moving from `oldManifest` to `newManifest` as such: the errors of that
   * update that an update of the new object onto itself does not raise (so a value the webhook always refuses, or a
   * create-only check, does not count as a refused change).
   */
  public updateRefusals(oldManifest: KubeObject, newManifest: KubeObject): FieldError[] {
    const created = this.admit(clone(oldManifest), undefined);
    if (created.stored === undefined) {
      throw new Error(`the old ${oldManifest.kind} ${oldManifest.metadata.name} is not admitted: ${created.errors.join('; ')}`);
    }
    const defaulted = (obj: KubeObject, old: KubeObject) => {
      const schema = this.schemas.schemaOf(obj.apiVersion, obj.kind) as StructuralSchema | undefined;
      applyDefaults(obj, schema);
      this.mutate(obj, old);
      applyDefaults(obj, schema);
      return obj;
    };
    const next = defaulted(clone(newManifest), created.stored);
    const onto = (old: KubeObject) => this.validate(next, old).map((e) => JSON.stringify(e));
    const itself = new Set(onto(clone(next)));
    return this.validate(next, created.stored).filter((e) => !itself.has(JSON.stringify(e)));
  }

  /** Records a field that a controller set on a stored object (it survives later applies). */
  public setByController(kind: string, namespace: string, name: string, path: string, value: unknown): void {
    const id = key(kind, namespace, name);
    const stored = this.store.get(id);
    if (stored === undefined) {
      throw new Error(`no stored ${id}`);
    }
    setPath(stored, path, clone(value));
    this.foreign.set(id, new Map([...(this.foreign.get(id) ?? []), [path, value]]));
  }

  public get(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(key(kind, namespace, name));
  }

  public list(kind: string, namespace?: string): KubeObject[] {
    return [...this.store.values()].filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
  }

  /** What CAPA would ask of EKS for the cluster in `namespace` (its objects must be stored), and what fails. */
  public reconcileEks(namespace: string): EksOutcome {
    const [cp] = this.list('AWSManagedControlPlane', namespace) as unknown as ManagedControlPlane[];
    if (cp === undefined) {
      throw new Error(`no AWSManagedControlPlane stored in ${namespace}`);
    }
    const createCluster = createClusterRequest(cp);
    const clusterVersion = createCluster.version ?? '';
    const problems = [
      ...createClusterProblems(createCluster).map((p) => `EKS CreateCluster: ${p}`),
      ...controlPlaneReconcileErrors(cp, this.capaGates).map((p) => `CAPA control plane reconcile: ${p}`),
      ...(cp.spec.addons ?? []).flatMap((a) => addonProblems(a.name ?? '', String(a.version), clusterVersion).map((p) => `EKS CreateAddon: ${p}`)),
    ];
    const nodegroups = (this.list('MachinePool', namespace) as unknown as MachinePool[]).map((mp) => {
      const ref = (mp.spec.template?.spec as { infrastructureRef?: { name?: string } } | undefined)?.infrastructureRef;
      const mmp = this.get('AWSManagedMachinePool', namespace, ref?.name ?? '') as unknown as ManagedMachinePool | undefined;
      if (mmp === undefined) {
        throw new Error(`MachinePool ${mp.metadata.name} references AWSManagedMachinePool ${ref?.name}, which is not stored`);
      }
      const request = createNodegroupRequest(mp, mmp, clusterVersion);
      const found = [
        ...(this.capaGates.MachinePool ? [] : ['CAPA\'s managed machine pool controller is off (MachinePool gate): the node group is never created']),
        ...createNodegroupProblems(request),
      ];
      return { machinePool: mp.metadata.name ?? '', request, problems: found };
    });
    for (const ng of nodegroups) {
      problems.push(...ng.problems.map((p) => `node group ${ng.request.nodegroupName}: ${p}`));
    }
    return { cluster: createCluster.name, createCluster, nodegroups, problems };
  }

  private mutate(obj: KubeObject, old: KubeObject | undefined): void {
    switch (obj.kind) {
      case 'MachinePool':
        defaultMachinePool(obj as unknown as MachinePool, { operation: old === undefined ? 'CREATE' : 'UPDATE', oldObject: old as unknown as MachinePool });
        break;
      case 'AWSManagedControlPlane':
        defaultControlPlane(obj as unknown as ManagedControlPlane);
        break;
      case 'AWSManagedMachinePool':
        defaultManagedMachinePool(obj as unknown as ManagedMachinePool);
        break;
      default:
    }
  }

  private validate(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
    switch (obj.kind) {
      case 'MachinePool':
        return validateMachinePool(old as unknown as MachinePool | undefined, obj as unknown as MachinePool, this.capiGates);
      case 'Cluster':
        return obj.apiVersion.startsWith('cluster.x-k8s.io/') ? validateCluster(old as unknown as CapiClusterObject | undefined, obj as unknown as CapiClusterObject) : [];
      case 'AWSManagedControlPlane':
        return old === undefined ? validateControlPlaneCreate(obj as unknown as ManagedControlPlane)
          : validateControlPlaneUpdate(old as unknown as ManagedControlPlane, obj as unknown as ManagedControlPlane);
      case 'AWSManagedMachinePool':
        return old === undefined ? validateManagedMachinePoolCreate(obj as unknown as ManagedMachinePool)
          : validateManagedMachinePoolUpdate(old as unknown as ManagedMachinePool, obj as unknown as ManagedMachinePool);
      default:
        return [];
    }
  }
}

/** Kubernetes version of a stored control plane as EKS runs it (`major.minor`). */
export function controlPlaneEksVersion(cp: KubeObject): string {
  return eksVersion(String((cp.spec as { version?: string }).version));
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.').filter((k) => k !== '');
  let node = obj;
  for (const k of keys.slice(0, -1)) {
    node = (node[k] ??= {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}
