from barnskydd.cli import main

main()
