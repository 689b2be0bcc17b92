// Route schemas compiled on a route's first use instead of at start-up. Building every response
// serializer (fast-json-stringify) and request validator (TypeBox) eagerly took over half the CPU of
// starting the server — about 0.5 s on a 2-core machine for ~300 routes — while most processes only
// ever serve a fraction of the routes. The first request to a route pays its own compile (~1–2 ms).
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifySchemaCompiler } from 'fastify';

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/** The default serializer factory, with each route's serializer built when it first serializes. */
export function lazySerializers(): SerializerFactory {
  const eager = SerializerSelector();
  return (externalSchemas, options) => {
    const build = eager(externalSchemas, options);
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc) => {
        serialize ??= build(route);
        return serialize(doc);
      };
    };
  };
}

/** TypeBox's validator compiler, compiling a schema when the first request is validated against it. */
export const lazyTypeBoxValidator: FastifySchemaCompiler<unknown> = (route) => {
  let check: ReturnType<FastifySchemaCompiler<unknown>> | undefined;
  return (data) => {
    check ??= TypeBoxValidatorCompiler(route as Parameters<typeof TypeBoxValidatorCompiler>[0]);
    return check(data);
  };
};
