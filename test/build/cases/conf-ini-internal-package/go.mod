module git.example.org/tools/wiki

go 1.22
