module csigfixture

go 1.21
