"""The AWS CloudFormation front-end: moto responses, backend, errors and stack deployment."""
