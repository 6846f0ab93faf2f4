import { KubeApiError, parseApiVersion, type KubeClient, type KubeObject, type ObjectRef } from '../../src/kube/types';

/**
 * A `KubeClient` over plain HTTP for in-process tests: jest cannot load @kubernetes/client-node (ES modules), which
 * src/kube/http-client.ts uses for kubeconfig handling only. Same requests as that client (discovery per group
 * version, server-side apply with the `arlonctl` field manager, GET, LIST, DELETE), no retries; the built CLI, run by
 * the end-to-end tests, uses the real one.
 */
export function fetchKubeClient(server: string, token: string): KubeClient {
  const send = async (method: string, path: string, body?: string, contentType?: string): Promise<unknown> => {
    const response = await fetch(`${server}${path}`, {
      method, body, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) },
    });
    const text = await response.text();
    const parsed = text === '' ? {} : JSON.parse(text) as { message?: string; reason?: string };
    if (!response.ok) {
      throw new KubeApiError(parsed.message ?? `${method} ${path}: ${response.status}`, response.status, parsed.reason);
    }
    return parsed;
  };
  const resourceOf = async (apiVersion: string, kind: string): Promise<{ name: string; namespaced: boolean } | undefined> => {
    const { group, version } = parseApiVersion(apiVersion);
    try {
      const list = await send('GET', group === '' ? `/api/${version}` : `/apis/${group}/${version}`) as { resources: Array<{ name: string; kind: string; namespaced: boolean }> };
      return list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) {
        return undefined;
      }
      throw error;
    }
  };
  const objectPath = async (ref: { apiVersion: string; kind: string; namespace?: string; name?: string }): Promise<string> => {
    const resource = await resourceOf(ref.apiVersion, ref.kind);
    if (resource === undefined) {
      throw new KubeApiError(`the API server does not serve ${ref.kind} in ${ref.apiVersion}`, 404, 'NotFound');
    }
    const { group, version } = parseApiVersion(ref.apiVersion);
    const scope = resource.namespaced && ref.namespace !== undefined ? `/namespaces/${ref.namespace}` : '';
    return `${group === '' ? `/api/${version}` : `/apis/${group}/${version}`}${scope}/${resource.name}${ref.name === undefined ? '' : `/${ref.name}`}`;
  };
  return {
    server,
    context: 'test',
    servesGroupVersion: async (groupVersion) => {
      const { group, version } = parseApiVersion(groupVersion);
      try {
        await send('GET', group === '' ? `/api/${version}` : `/apis/${group}/${version}`);
        return true;
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) {
          return false;
        }
        throw error;
      }
    },
    serverVersion: async () => await send('GET', '/version') as { major: string; minor: string; gitVersion: string },
    get: async (ref: ObjectRef) => {
      try {
        return await send('GET', await objectPath(ref)) as KubeObject;
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) {
          return undefined;
        }
        throw error;
      }
    },
    list: async (apiVersion, kind, options = {}) => {
      const query = options.labelSelector ? `?labelSelector=${encodeURIComponent(options.labelSelector)}` : '';
      const page = await send('GET', `${await objectPath({ apiVersion, kind, namespace: options.namespace })}${query}`) as { items: KubeObject[] };
      return page.items.map((item) => ({ ...item, apiVersion, kind }));
    },
    apply: async (obj, options = {}) => {
      const query = [options.dryRun ? 'dryRun=All' : undefined, 'fieldManager=arlonctl', options.force ? 'force=true' : undefined].filter(Boolean).join('&');
      const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
      return await send('PATCH', `${await objectPath(ref)}?${query}`, JSON.stringify(obj), 'application/apply-patch+yaml') as KubeObject;
    },
    delete: async (ref, options = {}) => {
      try {
        await send('DELETE', `${await objectPath(ref)}${options.dryRun ? '?dryRun=All' : ''}`);
        return true;
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) {
          return false;
        }
        throw error;
      }
    },
  };
}
