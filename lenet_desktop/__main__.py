from lenet_desktop.launch import main

raise SystemExit(main())
