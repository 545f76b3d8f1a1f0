'use strict';
// Orders: prices a checkout after asking inventory whether the goods are in stock.

// Unit prices in cents.
const PRICES = { 'espresso-beans': 1890, grinder: 12900, kettle: 5400 };
// Buying several of one thing earns a discount on the line.
const VOLUME_DISCOUNT = { from: 3, rate: 0.1 };

function priceQuote(sku, quantity, available) {
  const unitPrice = PRICES[sku];
  if (unitPrice === undefined) return { status: 404, body: { error: `no price for ${sku}` } };
  if (available < quantity) return { status: 409, body: { error: `only ${available} ${sku} left` } };
  const discount = quantity >= VOLUME_DISCOUNT.from ? Math.round(unitPrice * quantity * VOLUME_DISCOUNT.rate) : 0;
  return { status: 200, body: { sku, quantity, unitPrice, discount, total: unitPrice * quantity - discount, currency: 'EUR' } };
}

if (require.main === module) {
  const { createObservability } = require('../../lib/observability');
  const obs = createObservability('orders');
  const express = require('express');
  const INVENTORY_URL = process.env.INVENTORY_URL || 'http://127.0.0.1:4003';

  const app = express();
  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.use(obs.tracing);
  app.get('/quote', async (req, res) => {
    const sku = String(req.query.sku || '');
    const quantity = Number(req.query.qty || 1);
    const stock = await obs.call(req, 'inventory', `${INVENTORY_URL}/stock/${encodeURIComponent(sku)}`);
    if (stock.status >= 500) return res.status(502).json({ error: 'inventory is unavailable' });
    if (stock.status !== 200) return res.status(stock.status).json(stock.body);
    const quote = priceQuote(sku, quantity, stock.body.available);
    res.status(quote.status).json(quote.body);
  });
  app.use(obs.errors);
  obs.listen(app);
}

module.exports = { priceQuote };
