'use strict';
// Gateway: the shop's public API. Checkout asks orders for a quote and passes the answer on.
const { createObservability } = require('../../lib/observability');

const obs = createObservability('gateway');
const express = require('express');

const ORDERS_URL = process.env.ORDERS_URL || 'http://127.0.0.1:4002';

const app = express();
app.get('/healthz', (_req, res) => res.json({ ok: true }));
app.use(obs.tracing);

app.get('/checkout', async (req, res, next) => {
  try {
    const sku = String(req.query.sku || '');
    const quantity = Number(req.query.qty || 1);
    if (!sku) return res.status(400).json({ error: 'sku is required' });
    const quote = await obs.call(req, 'orders', `${ORDERS_URL}/quote?sku=${encodeURIComponent(sku)}&qty=${quantity}`);
    if (quote.status >= 500) return res.status(502).json({ error: 'checkout is unavailable, try again later' });
    res.status(quote.status).json(quote.body);
  } catch (error) {
    next(error);
  }
});

app.use(obs.errors);
obs.listen(app);
