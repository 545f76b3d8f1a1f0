'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { availability } = require('../services/inventory/server');

test('espresso beans are in stock', () => {
  assert.ok(availability('espresso-beans').available > 0);
});

test('an unknown product has no stock record', () => {
  assert.equal(availability('teapot'), null);
});
