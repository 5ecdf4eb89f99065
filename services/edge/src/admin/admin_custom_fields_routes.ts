/**
 * `/custom-fields` (definitions, permission `schema:*`) and
 * `/users/{userId}/custom-fields` (a user's values, `users:*`) — issue 12 §4.
 * Definitions are versioned (ETag / If-Match); values are checked by identity
 * against their definitions, all or nothing, each bad value a 400 naming
 * `values.<field>`. Deleting a definition deletes its values and mappings.
 */
import { CustomFieldDefinition, CustomFieldDefinitionChanges, NewCustomFieldDefinition, UserCustomFields, UserCustomFieldsPatch } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { domainProblem } from "./admin_domain_problems.ts"
import { adminOperation } from "./admin_operation.ts"

const DefinitionList = Schema.Struct({ definitions: Schema.Array(CustomFieldDefinition) })
const Removed = Schema.Struct({ valuesRemoved: Schema.Number, mappingsRemoved: Schema.Number })
const nameOf = (params: Readonly<Record<string, string>>) => params["name"]!

export const customFieldOperations = [
  adminOperation({
    method: "GET", path: "/custom-fields", operationId: "listCustomFields", summary: "List custom field definitions", tag: "custom-fields",
    permission: "schema:read", ifMatch: false,
    success: { status: 200, description: "Every definition, by name", schema: DefinitionList },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.customFields.listCustomFieldDefinitions({}).pipe(Effect.mapError(domainProblem)) }
    })
  }),
  adminOperation({
    method: "POST", path: "/custom-fields", operationId: "createCustomField",
    summary: "Define a custom field (type, validation, labels in English and Japanese, whether the user may edit it)", tag: "custom-fields",
    permission: "schema:write", ifMatch: false, body: NewCustomFieldDefinition,
    success: { status: 201, description: "The definition", schema: CustomFieldDefinition, etag: true },
    handle: Effect.fnUntraced(function*({ body, admin }) {
      const { adminBackends } = yield* Edge
      const definition = yield* adminBackends.customFields.createCustomFieldDefinition({ definition: body, actorId: admin.userId }).pipe(Effect.mapError(domainProblem))
      return { status: 201, body: definition, etag: definition.version }
    })
  }),
  adminOperation({
    method: "GET", path: "/custom-fields/{name}", operationId: "getCustomField", summary: "Read a custom field definition", tag: "custom-fields",
    permission: "schema:read", ifMatch: false,
    success: { status: 200, description: "The definition", schema: CustomFieldDefinition, etag: true },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      const definition = yield* adminBackends.customFields.getCustomFieldDefinition({ name: nameOf(params) }).pipe(Effect.mapError(domainProblem))
      return { status: 200, body: definition, etag: definition.version }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/custom-fields/{name}", operationId: "updateCustomField",
    summary: "Change a definition's validation, labels, editability or requiredness (name and type are fixed)", tag: "custom-fields",
    permission: "schema:write", ifMatch: true, body: CustomFieldDefinitionChanges,
    success: { status: 200, description: "The definition", schema: CustomFieldDefinition, etag: true },
    handle: Effect.fnUntraced(function*({ params, body, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      const definition = yield* adminBackends.customFields.updateCustomFieldDefinition({ name: nameOf(params), expectedVersion: ifMatch!, changes: body, actorId: admin.userId })
        .pipe(Effect.mapError(domainProblem))
      return { status: 200, body: definition, etag: definition.version }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/custom-fields/{name}", operationId: "deleteCustomField",
    summary: "Delete a definition with every user's value of it and every scope mapping releasing it", tag: "custom-fields",
    permission: "schema:write", ifMatch: true,
    success: { status: 200, description: "How many values and mappings went with it", schema: Removed },
    handle: Effect.fnUntraced(function*({ params, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.customFields.deleteCustomFieldDefinition({ name: nameOf(params), expectedVersion: ifMatch!, actorId: admin.userId }).pipe(Effect.mapError(domainProblem)) }
    })
  }),
  adminOperation({
    method: "GET", path: "/users/{userId}/custom-fields", operationId: "getUserCustomFields", summary: "A user's custom field values (typed)", tag: "users",
    permission: "users:read", ifMatch: false,
    success: { status: 200, description: "The values, by field name", schema: UserCustomFields },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.customFields.getUserCustomFields({ userId: params["userId"]! }).pipe(Effect.mapError(domainProblem)) }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/users/{userId}/custom-fields", operationId: "updateUserCustomFields",
    summary: "Set (a value) or clear (null) a user's custom field values; each checked against its definition, all or nothing", tag: "users",
    permission: "users:write", ifMatch: false, body: UserCustomFieldsPatch,
    success: { status: 200, description: "The values after the change", schema: UserCustomFields },
    handle: Effect.fnUntraced(function*({ params, body, admin }) {
      const { adminBackends } = yield* Edge
      const values = yield* adminBackends.customFields.updateUserCustomFields({ userId: params["userId"]!, values: body.values, editor: { kind: "admin", adminUserId: admin.userId } })
        .pipe(Effect.mapError(domainProblem))
      return { status: 200, body: values }
    })
  })
]
