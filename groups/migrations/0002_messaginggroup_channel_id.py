from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmessaginggroup',
            name='channel_id',
            field=models.CharField(blank=True, default='', db_default='', help_text="The platform's id of the group (Telegram chat id such as -1001234567890, Zalo group_id); leave empty to post bulletins by hand.", max_length=100, verbose_name='channel id'),
        ),
        migrations.AddField(
            model_name='messaginggroup',
            name='channel_id',
            field=models.CharField(blank=True, default='', db_default='', help_text="The platform's id of the group (Telegram chat id such as -1001234567890, Zalo group_id); leave empty to post bulletins by hand.", max_length=100, verbose_name='channel id'),
        ),
    ]
