'use strict';
// Inventory: how many of each product the shop can still sell.

const CATALOGUE = {
  'espresso-beans': { name: 'Espresso beans, 1 kg', stock: 42 },
};

function availability(sku) {
  const item = CATALOGUE[sku];
  if (!item) return null;
  return { sku, name: item.name, available: item.stock };
}

if (require.main === module) {
  const { createObservability } = require('../../lib/observability');
  const obs = createObservability('inventory');
  const express = require('express');

  const app = express();
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
