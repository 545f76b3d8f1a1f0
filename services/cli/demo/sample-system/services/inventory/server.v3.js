'use strict';
// Inventory: how many of each product the shop can still sell.

const CATALOGUE = {
  'espresso-beans': { name: 'Espresso beans, 1 kg' },
  grinder: { name: 'Burr grinder' },
  kettle: { name: 'Gooseneck kettle' },
};

// Stock now lives per warehouse, with what is already promised to open orders.
const WAREHOUSES = {
  ams: { 'espresso-beans': { onHand: 30, reserved: 2 }, kettle: { onHand: 3, reserved: 0 } },
  ber: { 'espresso-beans': { onHand: 14, reserved: 0 }, grinder: { onHand: 6, reserved: 1 } },
};
const DEFAULT_WAREHOUSE = 'ams';

function availability(sku, warehouse = DEFAULT_WAREHOUSE) {
  const item = CATALOGUE[sku];
  if (!item) return null;
  const record = WAREHOUSES[warehouse][sku];
  return { sku, name: item.name, warehouse, available: record.onHand - record.reserved };
}

if (require.main === module) {
  const { createObservability } = require('../../lib/observability');
  const obs = createObservability('inventory');
  const express = require('express');

  const app = express();
  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.use(obs.tracing);
  app.get('/stock/:sku', (req, res) => {
    const stock = availability(req.params.sku);
    if (!stock) return res.status(404).json({ error: `unknown product ${req.params.sku}` });
    req.log.info({ sku: stock.sku, available: stock.available }, `stock of ${stock.sku}: ${stock.available}`);
    res.json(stock);
  });
  app.use(obs.errors);
  obs.listen(app);
}

module.exports = { availability };
