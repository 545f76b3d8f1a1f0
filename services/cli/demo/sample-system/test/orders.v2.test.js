'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { priceQuote } = require('../services/orders/server');

test('a quote prices the line', () => {
  assert.deepEqual(priceQuote('espresso-beans', 2, 10).body.total, 3780);
});

test('three or more of one product earn the volume discount', () => {
  const quote = priceQuote('kettle', 3, 3).body;
  assert.equal(quote.discount, 1620);
  assert.equal(quote.total, 14580);
});

test('an unknown product has no price', () => {
  assert.equal(priceQuote('teapot', 1, 10).status, 404);
});

test('more than is in stock cannot be ordered', () => {
  assert.equal(priceQuote('espresso-beans', 5, 4).status, 409);
});
