export * from './bus.js';
export * from './bus-closed-error.js';
export { createEmbeddedBus, type EmbeddedBusOptions } from './embedded/create-embedded-bus.js';
export { createKafkaBus, type KafkaBusOptions } from './kafka/create-kafka-bus.js';
