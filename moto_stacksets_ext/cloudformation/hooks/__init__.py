"""CloudFormation Hooks: type registry, Hook results, and Hook invocation inside moto's stacks."""
