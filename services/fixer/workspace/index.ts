export { createWorkspaceManager, type CreateWorkspaceManagerOptions, type OpenWorkspaceRequest, type WorkspaceManager } from './create-workspace-manager.js';
export type { AttemptWorkspace } from './create-workspace.js';
export type { RepositorySource } from './git-credentials.js';
export type { Workspace } from './workspace.js';
export { WorkspaceError } from './workspace-error.js';
