import { credentialInText, credentialKind, findCredentials, secretKeyRule } from '../src/_credentials';

// Credentials in published formats, assembled here so that this file holds none.
const join = (...parts: string[]) => parts.join('');
const AWS_KEY_ID = join('AKIA', 'IOSFODNN7', 'EXAMPLE');
const AWS_TEMP_KEY_ID = join('ASIA', 'IOSFODNN7', 'EXAMPLE');
const GITHUB_TOKEN = join('ghp_', 'a1B2c3D4e5'.repeat(4));
const GITHUB_PAT = join('github_', 'pat_', '11ABCDEFG0', 'abcdefghijklmnopqrstuv');
const SLACK_BOT = join('xox', 'b-', '1234567890-', 'abcdefghijkl');
const SLACK_WEBHOOK = join('https://hooks.', 'slack.com/services/', 'T00000000/B00000000/', 'XXXXXXXXXXXXXXXXXXXXXXXX');
const DISCORD_WEBHOOK = join('https://discord.com/api/', 'webhooks/', '123456789012345678/', 'abcdefghijklmnopqrstuvwxyz0123456789');
const TEAMS_WEBHOOK = join('https://acme.', 'webhook.office.com/', 'webhookb2/', '0123abcd-0000-1111-2222-333344445555@aaaa/IncomingWebhook/abc');
const JWT = [join('eyJ', 'hbGciOiJIUzI1NiJ9'), join('eyJ', 'zdWIiOiJhcmxvbiJ9'), 'c2lnbmF0dXJlLXZhbHVl'].join('.');
const PEM = join('-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIEow==\n-----END RSA PRIVATE KEY-----');
const REGISTRY_AUTH = Buffer.from('bot:s3cr3t-pass').toString('base64');

describe('keys that name a secret', () => {
  test.each([
    'password', 'adminPassword', 'DB_PASSWORD', 'db-password', 'Pass Word', 'PASS_WORD', 'passwd', 'dbPasswd', 'pwd', 'DB_PWD', 'dbPass', 'smtp_pass',
    'pw', 'passphrase', 'token', 'authToken', 'AUTH_TOKEN', 'access-token', 'bearer', 'bearerToken', 'apikey', 'apiKey', 'api_key', 'API_KEY', 'api-key',
    'Api Key', 'x-api-key', 'secretKey', 'SECRET_KEY', 'accessKey', 'aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'privateKey', 'private_key',
    'clientSecret', 'client_secret', 'oauth2-client-secret', 'webhookSecret', 'jwtSecret', 'cookieSecret', 'credentials', 'basicAuth', 'authKey',
    '.dockerconfigjson', '.dockercfg', 'encryptionKey', 'connectionString', 'licenseKey', 'psk',
  ])('%s', (key) => {
    expect(secretKeyRule(key)).toBeDefined();
  });

  test.each([
    'existingSecret', 'existingSecretPasswordKey', 'passwordSecretRef', 'secretName', 'secret', 'tokenPath', 'passwordFile', 'tokenTTL', 'passwordKey',
    'apiKeyRef', 'secretKeyRef', 'bypass', 'compass', 'passthrough', 'maxTokens', 'tokenizer', 'description', 'keyId',
    'accessKeyId', 'sshKeyName', 'name', 'value', 'key', 'auth', 'authority', 'passwordPolicy', 'passwordMinLength', 'tokenUrl',
    'ENABLE_PREFIX_DELEGATION', 'instanceType', 'pin', 'spin',
  ])('not %s', (key) => {
    expect(secretKeyRule(key)).toBeUndefined();
  });
});

describe('values in a credential format', () => {
  test.each([
    ['an AWS access key id', AWS_KEY_ID], ['an AWS access key id', `aws_access_key_id = ${AWS_TEMP_KEY_ID}`],
    ['a GitHub token', GITHUB_TOKEN], ['a GitHub token', GITHUB_PAT], ['a Slack token', SLACK_BOT],
    ['a Slack webhook URL', SLACK_WEBHOOK], ['a Discord webhook URL', DISCORD_WEBHOOK], ['a Microsoft Teams webhook URL', TEAMS_WEBHOOK],
    ['a JSON Web Token', JWT], ['a private key', PEM], ['a URL with a password', 'https://bot:hunter22@git.example.com/acme.git'],
    ['a URL with a credential in its query', 'https://api.example.com/hook?token=abcdef123456'],
    ['a URL with a credential in its query', 'https://acme.blob.core.windows.net/c/b?sv=2022-11-02&sig=abcdefGHIJKL%3D'],
    ['an HTTP Authorization credential', 'Bearer abcdefghijklmnop1234'],
  ])('%s: %s', (what, value) => {
    expect(credentialKind(value)).toBe(what);
  });

  test.each([
    'https://charts.example.com', 'https://github.com/acme/fleet.git', 'oci://public.ecr.aws/karpenter', 'arn:aws:iam::111122223333:role/argocd',
    'm6i.large', 'vpc-0123456789abcdef0', 'https://hooks.example.com/services/abc', 'AKIA', 'Bearer', 'a bearer token is kept in a Secret',
    'https://api.example.com/?page=2&sort=name', 'sha256:0123456789abcdef0123456789abcdef', 'ghp_short',
  ])('not %s', (value) => {
    expect(credentialKind(value)).toBeUndefined();
  });
});

describe('findCredentials: by key and by value, with field paths', () => {
  test('finds literals under secret keys, numbers included, and says which rule matched', () => {
    const found = findCredentials({ db: { 'Pass Word': 'x1', 'pin': 1234, 'PASSWD': 4242 }, env: { API_KEY: 'abc' }, replicas: 3 });
    expect(found).toEqual([
      { path: 'db["Pass Word"]', rule: 'its key names a password' },
      { path: 'db.PASSWD', rule: 'its key names a password (a number is still a literal secret)' },
      { path: 'env.API_KEY', rule: 'its key names an API key' },
    ]);
  });

  test('finds credentials by value under innocent keys, in JSON held in strings, and in keys', () => {
    const dockerConfig = JSON.stringify({ auths: { 'registry.example.com': { auth: REGISTRY_AUTH } } });
    const found = findCredentials({
      alertmanager: { receivers: [{ slack_configs: [{ api_url: SLACK_WEBHOOK }] }] },
      configuration: JSON.stringify({ env: { GITHUB_TOKEN: 'abc' } }),
      data: { config: dockerConfig },
      routes: { [SLACK_WEBHOOK]: 'team-a' },
    });
    expect(found.map((f) => `${f.path}: ${f.rule}`)).toEqual([
      'alertmanager.receivers[0].slack_configs[0].api_url: it looks like a Slack webhook URL',
      'configuration(json).env.GITHUB_TOKEN: its key names a token',
      'data.config(json).auths["registry.example.com"].auth: it looks like a registry auth (the base64 of user:password)',
      'routes["<key>"]: a key there looks like a Slack webhook URL',
    ]);
  });

  test('finds the value of name/value pairs whose name names a secret, and lets references through', () => {
    expect(findCredentials({ env: [{ name: 'DB_PASSWD', value: 'x' }, { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }))
      .toEqual([{ path: 'env[0].value', rule: 'its name "DB_PASSWD" names a password' }]);
    expect(findCredentials({
      existingSecret: 'db',
      auth: { existingSecretPasswordKey: 'password', passwordSecretRef: { name: 'x' }, enabled: true },
      tls: { secret: 'my-tls' },
      token: '',
      automountServiceAccountToken: false,
      requirePassword: true,
      description: 'the API key lives in a Secret',
    })).toEqual([]);
  });

  test('never puts the value in what it returns', () => {
    const found = findCredentials({ password: 'hunter2', hook: SLACK_WEBHOOK });
    expect(JSON.stringify(found)).not.toMatch(/hunter2|T00000000/);
  });

  test('lets allowed strings through', () => {
    expect(findCredentials({ hook: SLACK_WEBHOOK, password: 'demo' }, { allowed: new Set([SLACK_WEBHOOK, 'demo']) })).toEqual([]);
  });
});

describe('credentials in free text (descriptions)', () => {
  test.each([
    `alerts go to ${SLACK_WEBHOOK}`, 'admin password: hunter2', 'API_KEY=abc123xyz', `uses ${GITHUB_TOKEN}`,
  ])('%s', (text) => {
    expect(credentialInText(text)).toBeDefined();
  });

  test.each([
    'WordPress with its database', 'the password lives in the Secret db-credentials', 'password: <from Secrets Manager>', 'token: ${TOKEN}',
    'metrics-server: resource metrics for kubectl top and HorizontalPodAutoscalers',
  ])('not %s', (text) => {
    expect(credentialInText(text)).toBeUndefined();
  });
});
