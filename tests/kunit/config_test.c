// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the settings (kernel/config.c, which includes this
 * file): a namespace without a value of its own follows the module
 * parameter as it changes, an own value (0 included) wins, and a
 * CONFIG_SET request is carried out whole or not at all.
 */

#include <kunit/test.h>

struct sp_config_test {
	struct sp_net spn;
	unsigned int saved[SP_SETTING_COUNT];
	struct {
		struct nlattr nla;
		u32 val;
	} buf[SLEEPPROXY_A_CONFIG_MAX + 1];
	struct nlattr *attrs[SLEEPPROXY_A_CONFIG_MAX + 1];
};

static int sp_config_test_init(struct kunit *test)
{
	struct sp_config_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int s;

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_init(&t->spn.lock);
	for (s = 0; s < SP_SETTING_COUNT; s++)
		t->saved[s] = *sp_params[s];
	test->priv = t;
	return 0;
}

static void sp_config_test_exit(struct kunit *test)
{
	struct sp_config_test *t = test->priv;
	int s;

	for (s = 0; s < SP_SETTING_COUNT; s++)
		*sp_params[s] = t->saved[s];
}

/* Puts a u32 attribute of @type into the request. */
static void sp_config_test_attr(struct sp_config_test *t, int type, u32 val)
{
	t->buf[type].nla.nla_len = nla_attr_size(sizeof(u32));
	t->buf[type].nla.nla_type = type;
	t->buf[type].val = val;
	t->attrs[type] = &t->buf[type].nla;
}

static int sp_config_test_change(struct sp_config_test *t)
{
	int err;

	mutex_lock(&t->spn.lock);
	err = sp_config_change(&t->spn, t->attrs, NULL);
	mutex_unlock(&t->spn.lock);
	memset(t->attrs, 0, sizeof(t->attrs));
	return err;
}

static void sp_config_test_default(struct kunit *test)
{
	struct sp_config_test *t = test->priv;
	int s;

	for (s = 0; s < SP_SETTING_COUNT; s++)
		KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, s), *sp_params[s]);
	/* A write to the parameter applies at the next lookup. */
	sp_max_wakes_per_sec = 3;
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_MAX_WAKES_PER_SEC), 3U);
}

static void sp_config_test_own(struct kunit *test)
{
	struct sp_config_test *t = test->priv;

	/* 0 of its own is not "unset": no limit, whatever the parameter. */
	sp_setting_set(&t->spn, SP_MAX_WAKES_PER_SEC, 0);
	sp_max_wakes_per_sec = 7;
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_MAX_WAKES_PER_SEC), 0U);
	sp_setting_set(&t->spn, SP_MAX_HOSTS, SLEEPPROXY_MAX_HOSTS_MAX);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_MAX_HOSTS),
			(unsigned int)SLEEPPROXY_MAX_HOSTS_MAX);
	/* Another namespace's settings are its own business. */
	KUNIT_EXPECT_EQ(test, t->spn.settings.own[SP_SYN_HOLD_MAX], 0U);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_SYN_HOLD_MAX),
			sp_syn_hold_max);
}

static void sp_config_test_change_whole(struct kunit *test)
{
	struct sp_config_test *t = test->priv;

	/* Nothing to do is refused. */
	KUNIT_EXPECT_EQ(test, sp_config_test_change(t), -EINVAL);

	/* Set and reset the same setting: refused, nothing stored. */
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_SYN_HOLD_TOTAL, 5);
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_MAX_HOSTS, 9);
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_RESET,
			    SLEEPPROXY_CONFIG_F_MAX_HOSTS);
	KUNIT_EXPECT_EQ(test, sp_config_test_change(t), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->spn.settings.own[SP_SYN_HOLD_TOTAL], 0U);
	KUNIT_EXPECT_EQ(test, t->spn.settings.own[SP_MAX_HOSTS], 0U);

	/* Set two. */
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_SYN_HOLD_TOTAL, 5);
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_WAKE_TIMEOUT_MS, 0);
	KUNIT_EXPECT_EQ(test, sp_config_test_change(t), 0);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_SYN_HOLD_TOTAL), 5U);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_WAKE_TIMEOUT_MS), 0U);

	/* Reset one, set another, in one request. */
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_RESET,
			    SLEEPPROXY_CONFIG_F_SYN_HOLD_TOTAL |
			    SLEEPPROXY_CONFIG_F_AWAKE_GRACE_MS);
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_MAX_REPLIES_PER_SEC, 1);
	KUNIT_EXPECT_EQ(test, sp_config_test_change(t), 0);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_SYN_HOLD_TOTAL),
			sp_syn_hold_total);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_MAX_REPLIES_PER_SEC), 1U);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_WAKE_TIMEOUT_MS), 0U);

	/* An empty reset mask is a request, if an idle one. */
	sp_config_test_attr(t, SLEEPPROXY_A_CONFIG_RESET, 0);
	KUNIT_EXPECT_EQ(test, sp_config_test_change(t), 0);
	KUNIT_EXPECT_EQ(test, sp_setting(&t->spn, SP_MAX_REPLIES_PER_SEC), 1U);
}

static struct kunit_case sp_config_test_cases[] = {
	KUNIT_CASE(sp_config_test_default),
	KUNIT_CASE(sp_config_test_own),
	KUNIT_CASE(sp_config_test_change_whole),
	{}
};

static struct kunit_suite sp_config_test_suite = {
	.name = "sleepproxy_config",
	.init = sp_config_test_init,
	.exit = sp_config_test_exit,
	.test_cases = sp_config_test_cases,
};

kunit_test_suite(sp_config_test_suite);
