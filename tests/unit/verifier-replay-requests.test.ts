import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReplayRequests, isReplayableHeader } from '../../services/verifier/replay/build-replay-requests.js';

test('replayed requests keep method, path, query and body, and drop credentials and hop-by-hop headers', () => {
  const [request] = buildReplayRequests([
    {
      method: 'post',
      url: 'https://shop.example.com/cart/checkout',
      query: 'coupon=SPRING',
      body: '{"items":[1,2]}',
      headers: {
        Authorization: 'Bearer abc.def.ghi',
        Cookie: 'sid=1',
        'X-Api-Key': 'k',
        'X-CSRF-Token': 't',
        'Proxy-Authorization': 'Basic Zm9vOmJhcg==',
        Host: 'shop.example.com',
        'Content-Length': '15',
        'Content-Type': 'application/json',
        'User-Agent': 'Mobile/1.2',
      },
    },
  ]);
  assert.deepEqual(request, {
    method: 'POST',
    path: '/cart/checkout?coupon=SPRING',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mobile/1.2' },
    body: '{"items":[1,2]}',
  });
});

test('a query already in the URL is not appended twice; a bare path is accepted', () => {
  assert.equal(buildReplayRequests([{ method: 'GET', url: 'https://a.example/x?y=1', query: 'y=1' }])[0]!.path, '/x?y=1');
  assert.equal(buildReplayRequests([{ method: 'GET', url: '/orders/7' }])[0]!.path, '/orders/7');
});

test('session and auth headers of any spelling are not replayable', () => {
  for (const name of ['authorization', 'X-Session-Id', 'x-auth-user', 'set-cookie', 'x-xsrf-token', 'api_key']) {
    assert.equal(isReplayableHeader(name), false, name);
  }
  assert.equal(isReplayableHeader('accept'), true);
});
