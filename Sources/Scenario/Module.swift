// Scenario: scenario files in, VMState definitions out.
