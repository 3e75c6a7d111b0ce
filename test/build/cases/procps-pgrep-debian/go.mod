module example.com/watcher

go 1.22
