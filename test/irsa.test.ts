import { clusterAutoscalerServiceAccount, trustStatement } from '../src/operations/irsa';
import { buildOidcTrustPolicy, oidcProviderArn } from './upstream/status/capa-oidc';

describe('the service account the cluster-autoscaler chart runs as (charts/cluster-autoscaler/templates/_helpers.tpl)', () => {
  test.each([
    ['the preset (fullnameOverride)', { fullnameOverride: 'cluster-autoscaler' }, 'cluster-autoscaler', 'cluster-autoscaler'],
    ['the chart\'s defaults: <release>-<cloudProvider>-<chart>', {}, 'ca', 'ca-aws-cluster-autoscaler'],
    ['a release named like the name', {}, 'aws-cluster-autoscaler', 'aws-cluster-autoscaler'],
    ['nameOverride', { nameOverride: 'scaler' }, 'ca', 'ca-scaler'],
    ['rbac.serviceAccount.name', { fullnameOverride: 'x', rbac: { serviceAccount: { name: 'my-sa' } } }, 'ca', 'my-sa'],
    ['no service account created', { rbac: { serviceAccount: { create: false } } }, 'ca', 'default'],
    ['63 characters at most, no trailing -', { fullnameOverride: `${'a'.repeat(62)}-b` }, 'ca', 'a'.repeat(62)],
  ])('%s', (_what, values, release, expected) => {
    expect(clusterAutoscalerServiceAccount(values, release)).toBe(expected);
  });
});

describe('the trust statement', () => {
  test('uses the condition key of CAPA\'s boilerplate policy, with the service accounts and the STS audience filled in', () => {
    const arn = oidcProviderArn('111122223333', 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF');
    type Policy = { Statement: Array<{ Principal: { Federated: string[] }; Condition: Record<string, Record<string, unknown>> }> };
    const boilerplate = buildOidcTrustPolicy(arn) as Policy;
    const [key] = Object.keys(boilerplate.Statement[0].Condition['ForAnyValue:StringLike']);
    const statement = trustStatement({ arn, issuer: arn.slice(arn.indexOf('/') + 1) }, [
      { namespace: 'kube-system', name: 'a' }, { namespace: 'kube-system', name: 'b' },
    ]);
    expect(statement.Principal.Federated).toBe(boilerplate.Statement[0].Principal.Federated[0]);
    expect(statement.Condition.StringEquals).toEqual({
      [key]: ['system:serviceaccount:kube-system:a', 'system:serviceaccount:kube-system:b'],
      [key.replace(/:sub$/, ':aud')]: 'sts.amazonaws.com',
    });
  });
});
