import { Kafka, logLevel } from 'kafkajs';
import { createKafkaBus } from '../../shared/bus/kafka/create-kafka-bus.js';
import { kafkaBrokers } from '../helpers/infra.js';
import { randomName } from '../helpers/wait.js';
import { defineBusContract, quietLog, testPolicy } from './bus-contract.js';

defineBusContract(
  'kafka',
  async (t) => {
    const brokers = kafkaBrokers(t);
    if (!brokers) return undefined;
    // A fresh prefix per test: its own topics and groups on the shared broker.
    const topicPrefix = `${randomName('t')}.`;
    return {
      openBus: async () => createKafkaBus({ brokers, topicPrefix, partitions: 3, log: quietLog, policy: testPolicy }),
      publishRaw: async (topic, key, value) => {
        const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
        await producer.connect();
        await producer.send({ topic: `${topicPrefix}${topic}`, messages: [{ key, value }] });
        await producer.disconnect();
      },
      rewind: async (group) => {
        const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        await admin.resetOffsets({ groupId: `${topicPrefix}${group}`, topic: `${topicPrefix}alerts`, earliest: true });
        await admin.disconnect();
      },
      cleanup: async () => {},
    };
  },
  60_000,
);
