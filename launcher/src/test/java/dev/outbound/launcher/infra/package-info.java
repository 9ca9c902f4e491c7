/**
 * Checks of the deployment files under {@code infra/}: the kustomize overlays are rendered with
 * {@code kubectl kustomize}, every manifest is validated against the Kubernetes OpenAPI schema, and
 * ports, probe paths, environment names and Dockerfiles are compared with what the api and worker
 * applications actually serve and read. Nothing here starts the embedded stack.
 */
package dev.outbound.launcher.infra;
