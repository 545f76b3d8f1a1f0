import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { tempDir } from '../helpers/wait.js';
import { defineBusContract, quietLog, testPolicy } from './bus-contract.js';

defineBusContract('embedded (SQLite)', async () => {
  const dir = await tempDir();
  const file = join(dir.path, 'bus.sqlite');
  return {
    openBus: async () => createEmbeddedBus({ file, log: quietLog, policy: testPolicy, pollIntervalMs: 50 }),
    publishRaw: async (topic, key, body) => {
      const db = new Database(file);
      db.prepare('INSERT INTO bus_log (topic, key, body, appended_at) VALUES (?, ?, ?, ?)').run(topic, key, body, new Date().toISOString());
      db.close();
    },
    rewind: async (group) => {
      const db = new Database(file);
      db.prepare("DELETE FROM bus_offsets WHERE consumer_group = ? AND topic = 'alerts'").run(group);
      db.close();
    },
    cleanup: dir.cleanup,
  };
});
