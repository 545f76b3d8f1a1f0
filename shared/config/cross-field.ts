/** Marks an issue whose message is a whole sentence about several fields, not "expected X". */
export const CROSS_FIELD = 'crossField';
