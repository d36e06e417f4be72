/** Short constructors for spec schemas: `s.object({ replicas: s.integer({ min: 1 }).optional() })`. */
import {
  BooleanSchema,
  DurationSchema,
  EnumSchema,
  IntOrPercentSchema,
  NameSchema,
  PrometheusDurationSchema,
  type NumberOptions,
  NumberSchema,
  QuantitySchema,
  type StringOptions,
  StringSchema,
} from './scalars';
import { type FieldsOf, type ObjectOptions, ObjectSchema } from './object-schema';
import { ListSchema, type Named, NamedListSchema } from './list-schema';
import { RecordSchema } from './record-schema';
import { type Schema } from './schema';

export const object = <T>(fields: FieldsOf<T>, options?: ObjectOptions<T>): ObjectSchema<T> => new ObjectSchema<T>(fields, options);
export const string = (options?: StringOptions): Schema<string> => new StringSchema(options);
export const name = (description?: string): Schema<string> => new NameSchema(description);
export const integer = (options?: Omit<NumberOptions, 'integer'>): Schema<number> => new NumberSchema({ ...options, integer: true });
export const number = (options?: Omit<NumberOptions, 'integer'>): Schema<number> => new NumberSchema({ ...options, integer: false });
export const boolean = (description?: string): Schema<boolean> => new BooleanSchema(description);
export const enumOf = <T extends string>(values: readonly T[], description?: string): Schema<T> => new EnumSchema<T>(values, description);
export const quantity = (description?: string): Schema<string | number> => new QuantitySchema(description);
export const duration = (description?: string): Schema<string> => new DurationSchema(description);
export const prometheusDuration = (description?: string): Schema<string> => new PrometheusDurationSchema(description);
export const list = <T>(item: Schema<T>, description?: string): Schema<readonly T[]> => new ListSchema<T>(item, description);
export const namedList = <T extends Named>(item: ObjectSchema<T>, description?: string): Schema<readonly T[]> => new NamedListSchema<T>(item, description);
export const record = <T>(value: Schema<T>, description?: string): Schema<{ readonly [key: string]: T }> => new RecordSchema<T>(value, description);
export const intOrPercent = (description?: string): Schema<number | string> => new IntOrPercentSchema(description);
