"""The demo of Bù Gia Mập for `seed_demo`: it writes every app's rows, so it sits on the top
floor, above what it writes. `communes` holds the district, its communes, villages, groups,
counts and users; `deadlines` the deadline of 606/UBND-VX, its submissions and an inspection."""
