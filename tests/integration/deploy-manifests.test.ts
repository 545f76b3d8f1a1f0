import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { roleNames } from '../../services/runtime/role.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { isSecretKey } from '../../shared/log/is-secret-key.js';
import { tempDir } from '../helpers/wait.js';

// Parsing and checking only: no Docker engine or cluster runs here.
const root = new URL('../../../', import.meta.url).pathname;
const k8sDir = join(root, 'deploy/k8s');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Variables that carry credentials: each must come from a Secret, never a literal. */
const SECRET_ENV = [
  'DATABASE_URL',
  'NIGHTSHIFT_SENTRY_CLIENT_SECRET',
  'NIGHTSHIFT_SENTRY_DSN_KEYS',
  'NIGHTSHIFT_DATADOG_TOKEN',
  'NIGHTSHIFT_GITHUB_WEBHOOK_SECRET',
  'NIGHTSHIFT_KAFKA_SASL_PASSWORD',
  'NIGHTSHIFT_SENTRY_DSN',
  'GITHUB_TOKEN',
  'OPENAI_API_KEY',
  'DD_API_KEY',
  'DD_APP_KEY',
  'SENTRY_AUTH_TOKEN',
];
const isSecretEnv = (name: string) => SECRET_ENV.includes(name) || isSecretKey(name) || /PASSWORD/.test(name);

/** Secrets each role must be given, by the issue: webhook secrets, GitHub token, OpenAI key, Datadog keys. */
const REQUIRED_SECRETS: Record<string, string[]> = {
  ingest: ['DATABASE_URL', 'NIGHTSHIFT_SENTRY_CLIENT_SECRET', 'NIGHTSHIFT_DATADOG_TOKEN', 'NIGHTSHIFT_GITHUB_WEBHOOK_SECRET', 'NIGHTSHIFT_SENTRY_DSN_KEYS'],
  triage: ['DATABASE_URL', 'DD_API_KEY', 'DD_APP_KEY'],
  fixer: ['DATABASE_URL', 'GITHUB_TOKEN', 'OPENAI_API_KEY'],
  verifier: ['DATABASE_URL', 'GITHUB_TOKEN'],
  console: ['DATABASE_URL'],
};

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: any };

function loadK8s(): { kustomization: any; objects: (K8sObject & { file: string })[] } {
  const kustomization = parse(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8'));
  const objects = (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((doc) => {
      assert.deepEqual(doc.errors, [], `${file} parses`);
      return { ...(doc.toJS() as K8sObject), file };
    }),
  );
  return { kustomization, objects };
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('Kubernetes manifests (deploy/k8s)', () => {
  const { kustomization, objects } = loadK8s();
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = ofKind('Deployment');
  const deploymentOf = (role: string) => deployments.find((d) => d.metadata.name === `nightshift-${role}`);
  const containerOf = (role: string) => deploymentOf(role)!.spec.template.spec.containers[0];

  test('the kustomization lists every manifest in the folder and nothing that is missing', () => {
    const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    assert.deepEqual([...kustomization.resources].sort(), files);
    assert.equal(kustomization.kind, 'Kustomization');
    assert.ok(kustomization.images.some((image: { name: string }) => image.name === 'nightshift'), 'the image can be retagged');
  });

  test('every object is valid for its apiVersion and kind (kubernetes-models)', async () => {
    assert.ok(objects.length >= 14);
    for (const { file, ...object } of objects) {
      const models = await import(`kubernetes-models/${object.apiVersion}`);
      const Model = models[object.kind];
      assert.equal(typeof Model, 'function', `${file}: no model for ${object.apiVersion} ${object.kind}`);
      assert.doesNotThrow(() => new Model(object).validate(), `${file}: ${object.kind} ${object.metadata.name} is valid`);
    }
  });

  test('the validation would catch a broken Deployment', async () => {
    const { Deployment } = await import('kubernetes-models/apps/v1');
    const broken = structuredClone(deploymentOf('ingest')!) as any;
    delete broken.file;
    delete broken.spec.selector;
    assert.throws(() => new Deployment(broken).validate(), /selector/);
  });

  test('each role has one Deployment running that role, with readiness, liveness and resource requests', () => {
    assert.equal(deployments.length, roleNames.length);
    for (const role of roleNames) {
      const deployment = deploymentOf(role);
      assert.ok(deployment, `a Deployment for ${role}`);
      assert.ok(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels), `${role}: the selector picks its own pods`);
      const container = containerOf(role);
      assert.deepEqual(container.args, ['start', '--role', role]);
      assert.equal(container.readinessProbe.httpGet.path, '/readyz', `${role} readiness`);
      assert.equal(container.livenessProbe.httpGet.path, '/healthz', `${role} liveness`);
      const port = container.ports.find((p: { name: string }) => p.name === container.readinessProbe.httpGet.port);
      assert.equal(port?.containerPort, 8080, `${role}: probes hit the HTTP port`);
      assert.ok(container.resources.requests.cpu && container.resources.requests.memory, `${role} requests`);
      assert.ok(container.resources.limits.memory, `${role} memory limit`);
    }
  });

  test('pods run as non-root with a read-only root filesystem; only emptyDir volumes are writable', () => {
    for (const role of roleNames) {
      const pod = deploymentOf(role)!.spec.template.spec;
      assert.equal(pod.securityContext.runAsNonRoot, true, role);
      assert.ok(pod.securityContext.runAsUser > 0, role);
      assert.equal(pod.automountServiceAccountToken, false, role);
      const container = containerOf(role);
      assert.equal(container.securityContext.allowPrivilegeEscalation, false, role);
      assert.equal(container.securityContext.readOnlyRootFilesystem, true, role);
      assert.deepEqual(container.securityContext.capabilities.drop, ['ALL'], role);
      const volumes = new Map(pod.volumes.map((v: { name: string }) => [v.name, v]));
      for (const mount of container.volumeMounts) {
        const volume: any = volumes.get(mount.name);
        assert.ok(volume, `${role}: volume ${mount.name} exists`);
        if (!mount.readOnly) assert.ok(volume.emptyDir, `${role}: ${mount.mountPath} is writable only as an emptyDir`);
      }
      const dataDir = container.env.find((e: { name: string }) => e.name === 'NIGHTSHIFT_DATA_DIR')?.value;
      assert.ok(container.volumeMounts.some((m: { mountPath: string; readOnly?: boolean }) => m.mountPath === dataDir && !m.readOnly), `${role}: the data directory is mounted writable`);
      assert.ok(container.volumeMounts.some((m: { mountPath: string }) => m.mountPath === '/tmp'), `${role}: /tmp is writable`);
    }
  });

  test('every secret variable comes from a secretKeyRef, and each role gets the secrets it needs', () => {
    for (const role of roleNames) {
      const env: { name: string; value?: string; valueFrom?: any }[] = containerOf(role).env;
      for (const variable of env) {
        if (!isSecretEnv(variable.name)) continue;
        assert.equal(variable.value, undefined, `${role}: ${variable.name} is not a literal`);
        assert.ok(variable.valueFrom?.secretKeyRef?.name && variable.valueFrom.secretKeyRef.key, `${role}: ${variable.name} comes from a Secret`);
      }
      for (const name of REQUIRED_SECRETS[role]!) assert.ok(env.some((v) => v.name === name), `${role} gets ${name}`);
    }
  });

  test('config volumes name ConfigMaps and keys that exist, and nightshift.yaml loads as Kafka + PostgreSQL', async () => {
    const configMaps = new Map(ofKind('ConfigMap').map((c) => [c.metadata.name, c]));
    for (const role of roleNames) {
      for (const volume of deploymentOf(role)!.spec.template.spec.volumes) {
        for (const source of volume.projected?.sources ?? []) {
          const map = configMaps.get(source.configMap.name);
          assert.ok(map, `${role}: ConfigMap ${source.configMap.name} exists`);
          for (const item of source.configMap.items) assert.ok(item.key in map.data, `${role}: ${source.configMap.name} has ${item.key}`);
        }
      }
    }
    const container = containerOf('triage');
    const configPath = container.env.find((e: { name: string }) => e.name === 'NIGHTSHIFT_CONFIG').value;
    assert.ok(container.volumeMounts.some((m: { mountPath: string }) => configPath.startsWith(`${m.mountPath}/`)), 'NIGHTSHIFT_CONFIG is inside a mount');

    // Each role's pod must be able to load the file with exactly the environment its Deployment gives it.
    const dir = await tempDir();
    try {
      await writeFile(join(dir.path, 'nightshift.yaml'), configMaps.get('nightshift-config')!.data['nightshift.yaml']);
      for (const role of roleNames) {
        const env: Record<string, string> = {};
        for (const variable of containerOf(role).env) {
          if (variable.name === 'NIGHTSHIFT_CONFIG' || variable.name === 'NIGHTSHIFT_DATA_DIR' || variable.name === 'HOME') continue;
          if (variable.value !== undefined) env[variable.name] = variable.value;
          else if (variable.name === 'DATABASE_URL') env[variable.name] = 'postgres://nightshift:x@db:5432/nightshift';
          else if (variable.name === 'NIGHTSHIFT_SENTRY_DSN_KEYS') env[variable.name] = '42:0123456789abcdef0123456789abcdef';
          else if (variable.name === 'NIGHTSHIFT_SENTRY_DSN') env[variable.name] = 'https://abcdefabcdefabcdefabcdefabcdefab@o1.ingest.sentry.io/7';
          else env[variable.name] = `${variable.name.toLowerCase()}-value`;
        }
        const { config } = await loadConfig({ env, cwd: dir.path }).catch((error) => assert.fail(`${role}: ${error.message}`));
        assert.equal(config.bus.kind, 'kafka', role);
        assert.equal(config.store.kind, 'postgres', role);
        assert.equal(config.server.port, 8080, role);
      }
    } finally {
      await dir.cleanup();
    }
    const rules = parse(configMaps.get('nightshift-rules')!.data['10-default.yaml']);
    assert.ok(Array.isArray(rules.rules) && rules.rules.every((r: { id?: string; action?: string }) => r.id && r.action), 'a rules file');
  });

  test('each role has a PodDisruptionBudget selecting exactly its pods', () => {
    const budgets = ofKind('PodDisruptionBudget');
    for (const role of roleNames) {
      const selecting = budgets.filter((b) => matches(b.spec.selector.matchLabels, deploymentOf(role)!.spec.template.metadata.labels));
      assert.equal(selecting.length, 1, `one PDB for ${role}`);
    }
    for (const budget of budgets) {
      const selected = deployments.filter((d) => matches(budget.spec.selector.matchLabels, d.spec.template.metadata.labels));
      assert.equal(selected.length, 1, `${budget.metadata.name} selects one Deployment's pods`);
      assert.ok(budget.spec.maxUnavailable !== undefined || budget.spec.minAvailable !== undefined);
    }
  });

  test('the ingest Service selects only ingest pods, and the Ingress sends the webhook and envelope routes to it', () => {
    const service = ofKind('Service').find((s) => s.metadata.name === 'nightshift-ingest')!;
    const selected = deployments.filter((d) => matches(service.spec.selector, d.spec.template.metadata.labels));
    assert.deepEqual(selected.map((d) => d.metadata.name), ['nightshift-ingest']);
    const targetPort = service.spec.ports[0].targetPort;
    assert.ok(containerOf('ingest').ports.some((p: { name: string }) => p.name === targetPort));

    const [ingress] = ofKind('Ingress');
    const paths = ingress!.spec.rules.flatMap((rule: any) => rule.http.paths);
    for (const path of paths) {
      const backend = ofKind('Service').find((s) => s.metadata.name === path.backend.service.name);
      assert.ok(backend, `${path.path} has a Service`);
      assert.ok(backend.spec.ports.some((p: { name: string }) => p.name === path.backend.service.port.name));
    }
    const routed = (url: string) =>
      paths.some((p: { path: string; pathType: string }) => (p.pathType === 'Prefix' ? url.startsWith(p.path) : new RegExp(`^${p.path}`).test(url)));
    for (const url of ['/webhooks/sentry', '/webhooks/datadog', '/webhooks/github', '/api/42/envelope/', '/api/7/store/']) assert.ok(routed(url), `${url} is routed`);
    for (const url of ['/metrics', '/readyz', '/api/incidents']) assert.ok(!routed(url), `${url} stays private`);
  });

  test('kubeconform, when installed, accepts the manifests', (t) => {
    const which = spawnSync('sh', ['-c', 'command -v kubeconform'], { encoding: 'utf8' });
    if (which.status !== 0) {
      t.diagnostic('kubeconform is not on PATH: the kubernetes-models validation above stands alone');
      return;
    }
    const files = (kustomization.resources as string[]).map((f) => join(k8sDir, f));
    const run = spawnSync('kubeconform', ['-strict', '-summary', '-ignore-missing-schemas', ...files], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
});

describe('docker compose (deploy/compose.yaml)', () => {
  const compose = parse(read('deploy/compose.yaml'), { merge: true });

  test('one service per role, each starting its role, healthy-checked, after Kafka and PostgreSQL are healthy', () => {
    for (const role of roleNames) {
      const service = compose.services[role];
      assert.ok(service, `a service for ${role}`);
      assert.deepEqual(service.command, ['start', '--role', role]);
      assert.equal(service.depends_on.kafka.condition, 'service_healthy', role);
      assert.equal(service.depends_on.postgres.condition, 'service_healthy', role);
      assert.ok(service.healthcheck?.test, `${role} healthcheck`);
      assert.equal(service.environment.NIGHTSHIFT_KAFKA_BROKERS, 'kafka:9092');
      assert.deepEqual(service.env_file, ['nightshift.env']);
    }
    assert.ok(compose.services.kafka.healthcheck && compose.services.postgres.healthcheck);
  });

  test('Kafka is the official image in KRaft mode', () => {
    const kafka = compose.services.kafka;
    assert.match(kafka.image, /^apache\/kafka:/);
    const env = kafka.environment;
    assert.deepEqual(env.KAFKA_PROCESS_ROLES.split(',').sort(), ['broker', 'controller']);
    assert.match(env.KAFKA_CONTROLLER_QUORUM_VOTERS, /^1@kafka:\d+$/);
    assert.equal(String(env.KAFKA_NODE_ID), '1');
    assert.match(env.CLUSTER_ID, /^[A-Za-z0-9_-]{22}$/, 'a base64url UUID, as kafka-storage format needs');
    assert.ok(env.KAFKA_CONTROLLER_LISTENER_NAMES);
    assert.equal(Object.keys(env).some((key) => /ZOOKEEPER/.test(key)), false);
  });

  test('no secret is written inline: they come from git-ignored env files whose examples list them', () => {
    for (const [name, service] of Object.entries<any>(compose.services)) {
      for (const key of Object.keys(service.environment ?? {})) assert.ok(!isSecretEnv(key), `${name}: ${key} is not inline`);
    }
    const example = read('deploy/nightshift.env.example');
    for (const name of SECRET_ENV.filter((n) => n !== 'NIGHTSHIFT_KAFKA_SASL_PASSWORD')) assert.match(example, new RegExp(`^${name}=`, 'm'));
    assert.match(read('deploy/postgres.env.example'), /^POSTGRES_PASSWORD=/m);
    assert.match(read('.gitignore'), /^\/deploy\/\*\.env$/m);
  });
});

/** Dockerfile instructions, continuation lines joined, grouped by stage. */
function dockerStages(text: string): { from: string; instructions: { op: string; args: string }[] }[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: { from: string; instructions: { op: string; args: string }[] }[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const runtime = stages.at(-1)!;
  const args = (op: string) => runtime.instructions.filter((i) => i.op === op).map((i) => i.args);

  test('builds in one stage and runs from another with production dependencies only', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args));
    assert.ok(runs.some((r) => /npm ci\b.*--omit=dev/.test(r)), 'a stage installs with --omit=dev');
    assert.ok(!args('RUN').some((r) => /npm (ci|install)/.test(r)), 'the runtime stage installs nothing from npm itself');
    const copies = args('COPY');
    const nodeModules = copies.find((c) => /node_modules/.test(c));
    const from = /--from=(\S+)/.exec(nodeModules ?? '')?.[1];
    const source = stages.find((s) => s.from.endsWith(` AS ${from}`) || s.from.endsWith(` as ${from}`));
    assert.ok(source?.instructions.some((i) => i.op === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)), 'node_modules comes from the --omit=dev stage');
    // --ignore-scripts skips the postinstall that applies patches/ (kafkajs), so the stage applies them itself.
    for (const stage of stages.filter((s) => s.instructions.some((i) => i.op === 'RUN' && /npm ci\b.*--ignore-scripts/.test(i.args)))) {
      assert.ok(stage.instructions.some((i) => i.op === 'COPY' && /^patches\b/.test(i.args)), `${stage.from} copies patches/`);
      assert.ok(stage.instructions.some((i) => i.op === 'RUN' && /npm ci\b.*&& npx patch-package\b/.test(i.args)), `${stage.from} applies them after npm ci`);
    }
    assert.ok(!read('.dockerignore').split('\n').some((l) => /^\/?patches\b/.test(l.trim())), 'patches/ is in the build context');
    assert.ok(copies.some((c) => /--from=\S+ \/app\/dist/.test(c)), 'dist/ is copied from the build');
    assert.ok(!copies.some((c) => /\b(tests|bench)\b/.test(c)), 'no tests or benchmarks in the image');
  });

  test('runs as a non-root user with a healthcheck on /healthz, git and bubblewrap installed, port 8080', () => {
    const user = args('USER').at(-1);
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `USER ${user} is not root`);
    const healthcheck = args('HEALTHCHECK').join(' ');
    assert.match(healthcheck, /\/healthz/);
    assert.doesNotMatch(healthcheck, /curl|wget/, 'slim images have neither');
    assert.ok(args('RUN').some((r) => /apt-get install[^&]*\bgit\b/.test(r) && /apt-get install[^&]*\bbubblewrap\b/.test(r)));
    assert.deepEqual(args('EXPOSE'), ['8080']);
    assert.deepEqual(JSON.parse(args('ENTRYPOINT').at(-1)!), ['node', 'bin/nightshift']);
    assert.deepEqual(JSON.parse(args('CMD').at(-1)!), ['start']);
  });

  test('.dockerignore keeps dependencies, build output, git and secrets out of the context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.git', '**/*.env']) assert.ok(ignored.includes(entry), entry);
    assert.ok(existsSync(join(root, 'bin/nightshift')));
  });
});
