import { describe, expect, it } from 'vitest';
import { DataSanitizer } from '../../src/security/data-sanitizer.js';
import {
  DEFAULT_SENSITIVE_KEYS,
  normalizeKey,
  SensitiveKeyMatcher,
} from '../../src/security/sensitive-keys.js';

const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  password: [
    'password',
    'Password',
    'PASSWORD',
    'userPassword',
    'db_password',
    'password_confirmation',
    'x-password',
  ],
  passwd: ['passwd', 'PASSWD'],
  pwd: ['pwd', 'PWD'],
  secret: ['secret', 'clientSecret', 'client_secret', 'SECRET_KEY', 'webhook-secret'],
  token: [
    'token',
    'Token',
    'accessToken',
    'access_token',
    'refresh-token',
    'REFRESH_TOKEN',
    'id_token',
    'csrfToken',
  ],
  'api key': ['api_key', 'apiKey', 'APIKEY', 'Api-Key', 'API_KEY', 'x-api-key', 'api key', 'api.key'],
  authorization: ['authorization', 'Authorization', 'proxy-authorization'],
  auth: ['auth', 'Auth', 'basicAuth', 'proxy_auth'],
  cookie: ['cookie', 'Cookie', 'set-cookie', 'Set-Cookie', 'cookies', 'sessionCookie'],
  'session id': ['session_id', 'sessionId', 'sessionid', 'SESSION-ID', 'sid'],
  'private key': ['private_key', 'privateKey', 'PRIVATE-KEY', 'sshPrivateKey'],
  credential: ['credential', 'credentials', 'awsCredentials', 'Credentials'],
  ssn: ['ssn', 'SSN', 'socialSecurityNumber'],
  'credit card': ['credit_card', 'creditCard', 'credit-card-number', 'cardNumber', 'card_number'],
  'card codes': ['cvv', 'CVV', 'cvc', 'cvv2', 'pin', 'PIN'],
  other: ['passphrase', 'otp', 'jwt', 'access_key', 'awsSecretAccessKey'],
};

/** Field names that look close but are not secrets. */
const NOT_SENSITIVE: readonly string[] = [
  'author',
  'shipping',
  'spinner',
  'className',
  'maxTokens',
  'total_tokens',
  'tokenCount',
  'keyboard',
  'user',
  'email',
  'path',
  'status',
  'pinned',
  'oauthProvider',
];

describe('sensitive keys', () => {
  for (const [group, keys] of Object.entries(SPELLINGS)) {
    for (const key of keys) {
      it(`${group}: a field named ${JSON.stringify(key)} is redacted, whatever its value type`, () => {
        const s = new DataSanitizer();
        for (const value of ['v', 12345, true, null, { nested: 1 }, ['a']]) {
          expect(s.sanitize({ [key]: value })).toEqual({ [key]: '[REDACTED]' });
        }
      });
    }
  }

  for (const key of NOT_SENSITIVE) {
    it(`a field named ${JSON.stringify(key)} is kept`, () => {
      const input = { [key]: 'value' };
      expect(new DataSanitizer().sanitize(input)).toBe(input);
    });
  }

  it('"password" anywhere in a key counts, so a password hash is redacted too', () => {
    expect(new DataSanitizer().isSensitiveKey('passwordHash')).toBe(true);
  });

  it('normalizeKey lower-cases and drops - _ . and white space', () => {
    expect(normalizeKey('X-Api_Key.v 2')).toBe('xapikeyv2');
  });

  it('added and removed keys take effect at once (the answer cache is cleared)', () => {
    const m = new SensitiveKeyMatcher();
    expect(m.matches('tenant')).toBe(false);
    m.add('tenant');
    expect(m.matches('Tenant')).toBe(true);
    expect(m.matches('tenantName')).toBe(false);
    m.add('tenant', 'contains');
    expect(m.matches('tenantName')).toBe(true);
    expect(m.remove('TENANT')).toBe(true);
    expect(m.matches('tenantName')).toBe(false);
    expect(m.remove('token')).toBe(true);
    expect(m.matches('accessToken')).toBe(false);
  });

  it('the default list is frozen, written normalized (the matcher takes it as is), and holds the documented keys', () => {
    expect(Object.isFrozen(DEFAULT_SENSITIVE_KEYS)).toBe(true);
    for (const k of DEFAULT_SENSITIVE_KEYS) expect(normalizeKey(k.key)).toBe(k.key);
    expect(new Set(DEFAULT_SENSITIVE_KEYS.map((k) => k.key)).size).toBe(DEFAULT_SENSITIVE_KEYS.length);
    const keys = DEFAULT_SENSITIVE_KEYS.map((k) => k.key);
    for (const k of [
      'password',
      'passwd',
      'secret',
      'token',
      'apikey',
      'authorization',
      'cookie',
      'sessionid',
    ])
      expect(keys).toContain(k);
    for (const k of ['privatekey', 'credential', 'ssn']) expect(keys).toContain(k);
  });
});
