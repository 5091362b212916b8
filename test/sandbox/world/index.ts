export * from './model.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './tokens.ts';
export * from './world.ts';
