import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskToken } from '../../services/triage/templates/mask-token.js';
import { tokenizeMessage } from '../../services/triage/templates/mask-message.js';

const masks = (cases: Array<[string, string]>) => {
  for (const [token, expected] of cases) assert.equal(maskToken(token), expected, token);
};

test('plain words and punctuation are kept as they are', () => {
  masks([
    ['Connection', 'Connection'],
    ['failed;', 'failed;'],
    ['[preauth]', '[preauth]'],
    ['pam_unix(sshd:auth):', 'pam_unix(sshd:auth):'],
    ['high-res', 'high-res'],
    ['android.intent.action.SCREEN_ON', 'android.intent.action.SCREEN_ON'],
    ['-', '-'],
  ]);
});

test('numbers, ids and versions become one wildcard', () => {
  masks([
    ['42', '<*>'],
    ['-17', '<*>'],
    ['3.14', '<*>'],
    ['1445.88', '<*>'],
    ['blk_-6952295868487656571', '<*>'],
    ['ord_8Fh2k', '<*>'],
    ['2.6.5-1.358', '<*>'],
    ['v1.0.0', '<*>'],
    ['125312k/129720k', '<*>'],
    ['ssh2', '<*>'],
  ]);
});

test('IPs with ports, MAC-like and IPv6 addresses are one wildcard, keeping the punctuation around them', () => {
  masks([
    ['10.250.19.102', '<*>'],
    ['10.250.19.102:54106', '<*>'],
    ['10.250.19.102:54106,', '<*>,'],
    ['[173.234.31.186]', '[<*>]'],
    ['(163.27.187.39):', '(<*>):'],
    ['fe80::1ff:fe23:4567:890a', '<*>'],
    ['00:1a:2b:3c:4d:5e', '<*>'],
  ]);
});

test('hex values and UUIDs are variables, also without a digit when long', () => {
  masks([
    ['0x1f3a', '<*>'],
    ['0xfc0ce,', '<*>,'],
    ['8a2a501', '<*>'],
    ['deadbeefcafe', '<*>'],
    ['550e8400-e29b-41d4-a716-446655440000', '<*>'],
    ['com.huawei.health.g.c@8a2a501', 'com.huawei.health.g.c@<*>'],
  ]);
  assert.equal(maskToken('facade'), 'facade', 'short hex-looking words stay');
});

test('paths and URLs are variables whole', () => {
  masks([
    ['/var/log/app.log', '<*>'],
    ["'/udev/vcsa2'", "'<*>'"],
    ['/proc/kmsg', '<*>'],
    ['./config/app.yaml', '<*>'],
    ['../x/y', '<*>'],
    ['~/notes.txt', '<*>'],
    ['/10.251.71.16:50010', '<*>'],
    ['https://api.example.com/v1/orders?id=5', '<*>'],
    ['(https://example.com/a/b).', '(<*>).'],
    ['url=http://x.example/y', 'url=<*>'],
    ['path=/tmp/x', 'path=<*>'],
  ]);
  assert.equal(maskToken('/'), '/', 'a lone slash is no path');
  assert.equal(maskToken('4G/4G'), '<*>', 'values joined by a slash are one value');
  assert.equal(maskToken('PS/2'), 'PS/<*>');
});

test('timestamps become one wildcard, within a token and across tokens', () => {
  masks([
    ['2024-01-02T03:04:05.678Z', '<*>'],
    ['2024-01-02T03:04:05+02:00', '<*>'],
    ['07:07:00', '<*>'],
    ['[17/Jun/2005:07:07:00', '[<*>'],
    ['20171223-22:15:29:606', '<*>'],
  ]);
  assert.deepEqual(tokenizeMessage('connection at Fri Jun 17 07:07:00 2005 closed'), ['connection', 'at', '<*>', 'closed']);
  assert.deepEqual(tokenizeMessage('2024-05-01 12:00:01,123 INFO started'), ['<*>', 'INFO', 'started']);
  assert.deepEqual(tokenizeMessage('May the build pass'), ['May', 'the', 'build', 'pass'], 'a month name alone is a word');
});

test('key=value keeps the key and masks the value, whatever it is', () => {
  masks([
    ['user=root', 'user=<*>'],
    ['rhost=troi.bluesky-technologies.com', 'rhost=<*>'],
    ['logname=', 'logname='],
    ['(uid=0)', '(uid=<*>)'],
    ['a=1,b=two', 'a=<*>,b=<*>'],
    ['msg="hello"', 'msg="<*>"'],
    ['time=25233975,0,93,0,20002', 'time=<*>'],
    ['type=40002,7163.0,old=6983.0', 'type=<*>,old=<*>'],
  ]);
  assert.deepEqual(tokenizeMessage('packageName = com.example.app'), ['packageName', '=', '<*>'], 'a value after a lone = too');
  assert.deepEqual(tokenizeMessage('level=info msg="request completed" took=12ms'), ['level=<*>', 'msg="request', 'completed"', 'took=<*>'], 'a quoted value spanning tokens is text');
});

test('numbers inside structure keep the structure', () => {
  masks([
    ['CPU#0', 'CPU#<*>'],
    ['onExtend:1514038530000', 'onExtend:<*>'],
    ['1514038440000##7007##548365', '<*>'],
    ['mice.c(1766)]:', 'mice.c(<*>)]:'],
    ['audit(1122475266.4294965305:0):', 'audit(<*>):'],
    ['[8086/2410]', '[<*>]'],
  ]);
});

test('tokenizing splits on any whitespace and collapses a run of variables into one', () => {
  assert.deepEqual(tokenizeMessage('  Received\tblock  blk_1 of size 67108864 from /10.0.0.1\r'), ['Received', 'block', '<*>', 'of', 'size', '<*>', 'from', '<*>']);
  assert.deepEqual(tokenizeMessage('ask 10.0.0.1:50010 to delete blk_1 blk_-2 blk_3'), ['ask', '<*>', 'to', 'delete', '<*>']);
  assert.deepEqual(tokenizeMessage(''), []);
  assert.deepEqual(tokenizeMessage('   '), []);
});
