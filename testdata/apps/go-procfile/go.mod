module example.com/procapp

go 1.19
