import type { z } from 'zod'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { InputError } from '../domain/errors.js'
import type { Connector } from './connector.js'

/** What a connector is built from: its source's name, `connectorAttributes` and schemas, and the workspace folder. */
export interface ConnectorConfig {
  readonly sourceName: string
  readonly connectorAttributes: Record<string, unknown>
  /** The source's schemas; a connector that reads columns (a delimited file) reads them against the account schema. */
  readonly schemas: SourceConfig['schemas']
  /** Relative paths in `connectorAttributes` are relative to it. */
  readonly workspaceDir: string
}

/** Builds a connector for one source; throws InputError when the source's settings are invalid. */
export type ConnectorFactory = (config: ConnectorConfig) => Connector

/**
 * How a source's changes are made: by its connector, or by people (`manual`: the connector only reads, and
 * the executor gives the source's owner a work item for each change).
 */
export type Provisioning = 'connector' | 'manual'

/** One connector type: how to build it, what settings it takes, how its sources are provisioned. */
export interface ConnectorType {
  readonly create: ConnectorFactory
  /** Its `connectorAttributes` schema, which `provisio validate` checks every source of the type against. */
  readonly settingsSchema?: z.ZodType
  readonly provisioning: Provisioning
}

/**
 * The connector types an engine knows, by the name a source's `connector` field uses. Immutable: `with`
 * gives a new registry, so a test or an embedding program adds or substitutes a type for itself only.
 */
export class ConnectorRegistry {
  readonly #types: ReadonlyMap<string, ConnectorType>

  constructor(types: ReadonlyMap<string, ConnectorType> = new Map()) {
    this.#types = types
  }

  /** This registry with `type` added, or replaced when it is known already. */
  with(
    type: string,
    create: ConnectorFactory,
    options: { settingsSchema?: z.ZodType; provisioning?: Provisioning } = {},
  ): ConnectorRegistry {
    const entry: ConnectorType = {
      create,
      provisioning: options.provisioning ?? 'connector',
      ...(options.settingsSchema ? { settingsSchema: options.settingsSchema } : {}),
    }
    return new ConnectorRegistry(new Map([...this.#types, [type, entry]]))
  }

  has(type: string): boolean {
    return this.#types.has(type)
  }

  /** The known type names, sorted. */
  types(): string[] {
    return [...this.#types.keys()].sort()
  }

  /** The type's `connectorAttributes` schema, when it has one. */
  settingsSchema(type: string): z.ZodType | undefined {
    return this.#types.get(type)?.settingsSchema
  }

  /** How sources of the type are provisioned; undefined for an unknown type. */
  provisioning(type: string): Provisioning | undefined {
    return this.#types.get(type)?.provisioning
  }

  /** A connector of `type` for one source; an unknown type is an InputError that lists the known ones. */
  create(type: string, config: ConnectorConfig): Connector {
    const entry = this.#types.get(type)
    if (entry === undefined) {
      throw new InputError(
        `source ${config.sourceName}: unknown connector type ${type} (known: ${this.types().join(', ')})`,
      )
    }
    return entry.create(config)
  }
}
