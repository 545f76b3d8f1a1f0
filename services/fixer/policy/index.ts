export { checkDiffPolicy, type DiffPolicyResult, type DiffPolicyRule, type DiffPolicyViolation } from './check-diff-policy.js';
