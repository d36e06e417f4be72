/** Short constructors for spec schemas: `s.object({ replicas: s.integer({ min: 1 }).optional() })`. */
import {
  BooleanSchema,
  Dns1035NameSchema,
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
import { ListSchema, type Named, type NamedListOptions, NamedListSchema } from './list-schema';
import { RecordSchema } from './record-schema';
import { type Schema } from './schema';
import { parseCidr } from '../cidr';

export const object = <T>(fields: FieldsOf<T>, options?: ObjectOptions<T>): ObjectSchema<T> => new ObjectSchema<T>(fields, options);
export const string = (options?: StringOptions): Schema<string> => new StringSchema(options);
export const name = (description?: string): Schema<string> => new NameSchema(description);
/** The name of something that becomes a Kubernetes Service: a DNS-1035 label, starting with a letter. */
export const serviceName = (description?: string): Schema<string> => new Dns1035NameSchema(description);
/** An integer; without `max` it is bounded by int32, the type of the Kubernetes fields integers land in. */
export const integer = (options?: Omit<NumberOptions, 'integer'>): Schema<number> => new NumberSchema({ ...options, integer: true });
export const number = (options?: Omit<NumberOptions, 'integer'>): Schema<number> => new NumberSchema({ ...options, integer: false });
export const boolean = (description?: string): Schema<boolean> => new BooleanSchema(description);
export const enumOf = <T extends string>(values: readonly T[], description?: string): Schema<T> => new EnumSchema<T>(values, description);
export const quantity = (description?: string): Schema<string | number> => new QuantitySchema(description);
export const duration = (description?: string): Schema<string> => new DurationSchema(description);
export const prometheusDuration = (description?: string): Schema<string> => new PrometheusDurationSchema(description);
export const list = <T>(item: Schema<T>, description?: string): Schema<readonly T[]> => new ListSchema<T>(item, description);
export const namedList = <T extends Named>(item: ObjectSchema<T>, description?: string, options?: NamedListOptions): Schema<readonly T[]> =>
  new NamedListSchema<T>(item, description, options);
export const record = <T>(value: Schema<T>, description?: string): Schema<{ readonly [key: string]: T }> => new RecordSchema<T>(value, description);
export const intOrPercent = (description?: string): Schema<number | string> => new IntOrPercentSchema(description);

/** A port name as Kubernetes takes it (an IANA service name): at most 15 characters, a letter, no "--". */
export const portName = (description?: string): Schema<string> =>
  new StringSchema({
    description,
    pattern: {
      regex: /^[a-z](?!.*--)([-a-z0-9]{0,13}[a-z0-9])?$/,
      meaning: 'an IANA service name: lower-case letters, digits and "-", starting with a letter, no "--", at most 15 characters, e.g. "http"',
      explain: (value) => (value.includes('--') ? `"--" is not allowed; try ${JSON.stringify(value.replace(/-+/g, '-'))}` : undefined),
    },
  });

/** An IPv4 CIDR block as Go parses it (no leading zeros, prefix 0-32, no host bits set). */
export const cidr = (description?: string, example = '10.42.0.0/16'): Schema<string> =>
  new StringSchema({
    description,
    pattern: { regex: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, meaning: `an IPv4 CIDR such as "${example}"` },
    validate: (value) => {
      const parsed = parseCidr(value);
      return typeof parsed === 'string' ? `${JSON.stringify(value)} ${parsed}` : undefined;
    },
  });
