import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { redactOptionsFromEnv, redactText, redactUrlCredentials, redactValue } from '../../extension/src/gather/redact';

test('credentials in URLs are removed, the host stays', () => {
  assert.equal(redactUrlCredentials('GOPROXY=https://bob:s3cret@goproxy.corp.example/mod,direct'), 'GOPROXY=https://***@goproxy.corp.example/mod,direct');
  assert.equal(redactUrlCredentials('https://ghp_abc123@github.com/org/repo'), 'https://***@github.com/org/repo');
  assert.equal(
    redactUrlCredentials('a|http://u:p@x.example|https://y.example'),
    'a|http://***@x.example|https://y.example',
  );
  // No userinfo, nothing to do; an e-mail address is not a URL.
  assert.equal(redactUrlCredentials('https://proxy.golang.org,direct gopher@example.com'), 'https://proxy.golang.org,direct gopher@example.com');
});

test('home directory becomes ~, but only as a whole path component', () => {
  const o = { home: '/home/gopher' };
  assert.equal(redactText('/home/gopher/go/bin/gopls', o), '~/go/bin/gopls');
  assert.equal(redactText('PATH=/home/gopher/bin:/usr/bin', o), 'PATH=~/bin:/usr/bin');
  assert.equal(redactText('HOME=/home/gopher', o), 'HOME=~');
  assert.equal(redactText('"/home/gopher"', o), '"~"');
  assert.equal(redactText('/home/gophers/x', o), '/home/gophers/x');
  assert.equal(redactText('/home/gopher/', { home: '/home/gopher/' }), '~/');
});

test('Windows homes are matched with either separator', () => {
  const o = { home: 'C:\\Users\\Gopher' };
  assert.equal(redactText('C:\\Users\\Gopher\\go\\bin', o), '~\\go\\bin');
  assert.equal(redactText('file:///C:/Users/Gopher/x', { home: 'C:/Users/Gopher' }), 'file:///~/x');
});

test('the user name is replaced where it stands as a word', () => {
  const o = { home: '/home/gopher', user: 'gopher' };
  assert.equal(redactText('USER=gopher', o), 'USER=<user>');
  assert.equal(redactText('/srv/gopher/code and /home/gopher/x', o), '/srv/<user>/code and ~/x');
  assert.equal(redactText('gophers and mygopher stay', o), 'gophers and mygopher stay');
  // One-letter names would erase too much: left alone.
  assert.equal(redactText('a b c', { user: 'a' }), 'a b c');
});

test('redactValue walks JSON, keys included, and does not mutate its input', () => {
  const input = { env: { HOME: '/home/gopher', GOPROXY: 'https://t:k@p.example' }, list: ['/home/gopher/a', 3, null], '/home/gopher': true };
  const out = redactValue(input, { home: '/home/gopher', user: 'gopher' });
  assert.deepEqual(out, { env: { HOME: '~', GOPROXY: 'https://***@p.example' }, list: ['~/a', 3, null], '~': true });
  assert.equal(input.env.HOME, '/home/gopher');
});

test('options from the environment', () => {
  assert.deepEqual(redactOptionsFromEnv({ HOME: '/home/g', USER: 'g' }), { home: '/home/g', user: 'g' });
  assert.deepEqual(redactOptionsFromEnv({ USERPROFILE: 'C:\\Users\\g', USERNAME: 'g' }), { home: 'C:\\Users\\g', user: 'g' });
});
