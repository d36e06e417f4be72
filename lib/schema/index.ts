export * from './schema';
export * from './scalars';
export * from './object-schema';
export * from './list-schema';
export * from './record-schema';
export * from './builders';
export * from './override';
